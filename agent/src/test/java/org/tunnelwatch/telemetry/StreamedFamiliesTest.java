package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.telemetry.StreamedFamilies.FamilyByFamily;

class StreamedFamiliesTest {

  private final AtomicInteger collected = new AtomicInteger();

  private GaugeWithCallback gauge(String name) {
    return GaugeWithCallback.builder().name(name).help("h").callback(cb -> cb.call(collected.incrementAndGet())).build();
  }

  @Test
  void theRegistrysOwnReadsSeeThemAsOrdinaryFamilies() {
    PrometheusRegistry registry = new PrometheusRegistry();
    StreamedFamilies families = new StreamedFamilies();
    families.add(gauge("b_gauge"));
    families.add(gauge("a_gauge"));
    families.register(registry);

    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName())).containsExactly("a_gauge", "b_gauge");
    assertThat(registry.scrape("b_gauge"::equals).stream().map(s -> s.getMetadata().getName())).containsExactly("b_gauge");
    assertThat(collected).hasValue(3);
  }

  @Test
  void aFamilyByFamilyReadCollectsNoneAndNotesTheCollector() {
    PrometheusRegistry registry = new PrometheusRegistry();
    StreamedFamilies families = new StreamedFamilies();
    families.add(gauge("a_gauge"));
    families.register(registry);
    GaugeWithCallback.builder().name("other").help("h").callback(cb -> cb.call(1)).register(registry);

    FamilyByFamily scrape = new FamilyByFamily();
    MetricSnapshots read = registry.scrape(name -> true, scrape);

    assertThat(read.stream().map(s -> s.getMetadata().getName())).containsExactly("other");
    assertThat(collected).hasValue(0);
    assertThat(scrape.deferred()).containsExactly(families);
    MetricSnapshot one = families.collect("a_gauge");
    assertThat(one.getMetadata().getName()).isEqualTo("a_gauge");
    assertThat(collected).hasValue(1);
  }

  @Test
  void aNameTakenByAnotherTypeIsRefusedAsBefore() {
    PrometheusRegistry registry = new PrometheusRegistry();
    io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("a_gauge").help("h").callback(cb -> cb.call(1)).register(registry);
    StreamedFamilies families = new StreamedFamilies();
    families.add(gauge("a_gauge"));

    assertThatThrownBy(() -> families.register(registry)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void familiesAreAddedBeforeRegistrationOnlyAndOnce() {
    StreamedFamilies families = new StreamedFamilies();
    families.add(gauge("a_gauge"));
    assertThatThrownBy(() -> families.add(gauge("a_gauge"))).isInstanceOf(IllegalArgumentException.class);
    families.register(new PrometheusRegistry());
    assertThatThrownBy(() -> families.add(gauge("b_gauge"))).isInstanceOf(IllegalStateException.class);
  }
}
