package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.time.TimeSource;

/** A {@link DirectFamily} writes what {@link FamilyText} writes for its snapshot, in both formats. */
class DirectFamilyTest {

  private static final double[] VALUES = {0, 1, 8, 0.1, 0.011999999999999999, 1e-5, 9_999_999, 1e7, 123456789012.0, Double.MAX_VALUE};

  /** Label values as a configuration may name tunnels and targets, in no particular order. */
  private static final List<String> NAMES =
      List.of("sg1-sgcentral", "", "a\"quoted\"", "back\\slash", "new\nline", "zürich", "東京", "tab\there", "emoji \uD83D\uDE00", "B", "a");

  @Test
  void aCallbackFamilyWritesWhatItsSnapshotWrites() throws IOException {
    CallbackFamily counter = CallbackFamily.counter("test_things_total", "Things \"quoted\" \\ and\nnewline", cb -> {
      for (int i = 0; i < NAMES.size(); i++) {
        cb.call(VALUES[i % VALUES.length], NAMES.get(i), "203.0.113." + (i % 3), i % 2 == 0 ? "success" : "timeout");
      }
    }, "tunnel", "target", "result");
    CallbackFamily gauge = CallbackFamily.gauge("test_gauge_seconds", "A gauge", cb -> {
      for (int i = NAMES.size() - 1; i >= 0; i--) {
        cb.call(i % 3 == 0 ? Double.NaN : -VALUES[i % VALUES.length], NAMES.get(i), "s" + (i % 4));
      }
    }, "tunnel", "state");
    CallbackFamily unlabelled = CallbackFamily.gauge("test_plain", "Plain", cb -> cb.call(2.5));
    CallbackFamily empty = CallbackFamily.gauge("test_empty", "Nothing yet", cb -> {}, "tunnel");

    for (DirectFamily family : List.of(counter, gauge, unlabelled, empty)) {
      assertSameText(family);
    }
    assertThat(written(empty, false)).isEmpty();
  }

  @Test
  void aHistogramFamilyWritesWhatItsSnapshotWrites() throws IOException {
    for (String[] labelNames : List.of(new String[] {"tunnel", "target"}, new String[] {"tunnel"}, new String[0])) {
      HistogramFamily family =
          HistogramFamily.addTo(new StreamedFamilies(), "test_rtt_seconds", "Round trips", TunnelHistograms.RTT_BUCKETS, labelNames);
      assertThat(written(family, false)).isEmpty();
      int series = labelNames.length == 0 ? 1 : NAMES.size();
      for (int i = 0; i < series; i++) {
        String[] values = new String[labelNames.length];
        for (int j = 0; j < values.length; j++) {
          values[j] = NAMES.get((i + j) % NAMES.size());
        }
        BucketHistogram h = family.labelValues(values);
        for (int k = 0; k <= i * 3; k++) {
          h.observe(0.0007 * k * k);
        }
      }
      assertSameText(family);
    }
  }

  /** What a scrape reads is what the tunnel's values are at that moment, not an earlier scrape's. */
  @Test
  void aChangedValueShowsInTheNextWrite() throws IOException {
    AtomicReference<Double> value = new AtomicReference<>(1.0);
    CallbackFamily gauge = CallbackFamily.gauge("test_up", "Up", cb -> cb.call(value.get(), "t1"), "tunnel");
    assertThat(written(gauge, false)).endsWith("test_up{tunnel=\"t1\"} 1.0\n");

    value.set(0.0);

    assertThat(written(gauge, false)).endsWith("test_up{tunnel=\"t1\"} 0.0\n");
  }

  @Test
  void twoSeriesWithTheSameLabelsAreRefusedAsTheSnapshotRefusesThem() {
    CallbackFamily twice = CallbackFamily.gauge("test_twice", "Twice", cb -> {
      cb.call(1, "t1");
      cb.call(2, "t1");
    }, "tunnel");

    assertThatThrownBy(() -> written(twice, false)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Every tunnel family of the agent writes itself, and as its snapshot would be written. */
  @Test
  void everyTunnelFamilyOfTheAgentWritesItselfAsItsSnapshotWouldBeWritten() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<TunnelConfig> tunnels = List.of(tunnel("t2", "203.0.113.2"), tunnel("t10", "203.0.113.10"), tunnel("t1", "203.0.113.1"));
    AgentMetrics metrics = new AgentMetrics(registry, TimeSource.system(), tunnels, List.of("wan"));
    metrics.remedied("t1", new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.SUCCESS, "", Duration.ofMillis(300)), "down");
    metrics.roundSkipped("t10");

    StreamedFamilies.FamilyByFamily scrape = new StreamedFamilies.FamilyByFamily();
    registry.getPrometheusRegistry().scrape(name -> true, scrape);
    StreamedFamilies families = scrape.deferred().get(0);

    assertThat(families.names()).hasSizeGreaterThan(20);
    for (String name : families.names()) {
      DirectFamily family = families.direct(name);
      assertThat(family).as(name).isNotNull();
      assertSameText(family);
    }
  }

  private static TunnelConfig tunnel(String name, String target) throws IOException {
    return new TunnelConfig(name, name, "net", InetAddress.getByName("198.51.100.1"), List.of(ProbeTarget.icmp(InetAddress.getByName(target))),
        Optional.of("wan"), TunnelSettings.builder().build());
  }

  private static void assertSameText(DirectFamily family) throws IOException {
    for (boolean openMetrics : new boolean[] {false, true}) {
      assertThat(written(family, openMetrics)).as(family.getPrometheusName() + (openMetrics ? " OpenMetrics" : " text"))
          .isEqualTo(fromSnapshot(family, openMetrics));
    }
  }

  private static String written(DirectFamily family, boolean openMetrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FamilyText text = new FamilyText(out, openMetrics);
    family.write(text);
    text.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String fromSnapshot(DirectFamily family, boolean openMetrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FamilyText text = new FamilyText(out, openMetrics);
    text.write(family.collect());
    text.flush();
    return out.toString(StandardCharsets.UTF_8);
  }
}
