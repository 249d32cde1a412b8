package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FamilyText} writes what the client's writers write, in both formats. */
class FamilyTextTest {

  private static final double[] VALUES = {
    0, -0.0, 1, 8, -3, 0.1, 0.011999999999999999, 1e-5, 9_999_999, 1e7, 1.5e7, 123456789012.0, Double.NaN,
    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, Long.MAX_VALUE
  };

  /** Label values as a configuration may name tunnels and targets. */
  private static final List<String> NAMES =
      List.of("sg1-sgcentral", "", "a\"quoted\"", "back\\slash", "new\nline", "zürich", "東京", "tab\there", "emoji \uD83D\uDE00");

  private static MetricSnapshot gauge() {
    return GaugeWithCallback.builder().name("test_gauge_seconds").help("A gauge \"quoted\" with a \\ and a\nnewline, zürich")
        .labelNames("tunnel", "state")
        .callback(cb -> {
          for (int i = 0; i < VALUES.length; i++) {
            cb.call(VALUES[i], NAMES.get(i % NAMES.size()), "s" + i);
          }
        })
        .build().collect();
  }

  private static MetricSnapshot counter() {
    return CounterWithCallback.builder().name("test_things_total").help("Things")
        .labelNames("tunnel", "target", "result")
        .callback(cb -> {
          for (int i = 0; i < VALUES.length; i++) {
            if (VALUES[i] >= 0 && !Double.isNaN(VALUES[i])) {
              cb.call(VALUES[i], NAMES.get(i % NAMES.size()), "203.0.113." + i, "success");
            }
          }
        })
        .build().collect();
  }

  private static MetricSnapshot unlabelled() {
    return GaugeWithCallback.builder().name("test_plain").help("Plain").callback(cb -> cb.call(2.5)).build().collect();
  }

  /** As the process_* families: a unit, which OpenMetrics shows and the text format does not. */
  private static List<MetricSnapshot> withUnits() {
    return List.of(
        GaugeWithCallback.builder().name("test_size_bytes").help("Size").unit(Unit.BYTES).callback(cb -> cb.call(1)).build().collect(),
        CounterWithCallback.builder().name("test_cpu_seconds_total").help("CPU").unit(Unit.SECONDS).callback(cb -> cb.call(0.25)).build().collect());
  }

  private static MetricSnapshot empty() {
    return GaugeWithCallback.builder().name("test_empty").help("Nothing yet").labelNames("tunnel").callback(cb -> {}).build().collect();
  }

  private static MetricSnapshot histogram(String... labelNames) {
    HistogramFamily family = HistogramFamily.addTo(new StreamedFamilies(), "test_rtt_seconds", "Round trips", TunnelHistograms.RTT_BUCKETS, labelNames);
    for (int i = 0; i < 3; i++) {
      String[] values = new String[labelNames.length];
      for (int j = 0; j < values.length; j++) {
        values[j] = NAMES.get((i + j) % NAMES.size());
      }
      BucketHistogram h = family.labelValues(values);
      for (int k = 0; k <= i * 5; k++) {
        h.observe(0.0007 * k * k);
      }
    }
    return family.collect();
  }

  @Test
  void countersGaugesAndHistogramsAreWrittenAsTheClientWritesThem() throws IOException {
    List<MetricSnapshot> snapshots = new java.util.ArrayList<>(List.of(gauge(), counter(), unlabelled(), empty(), histogram("tunnel", "target"), histogram()));
    snapshots.addAll(withUnits());
    for (MetricSnapshot snapshot : snapshots) {
      assertThat(FamilyText.canWrite(snapshot)).as(snapshot.getMetadata().getName()).isTrue();
      for (boolean openMetrics : new boolean[] {false, true}) {
        assertThat(ours(snapshot, openMetrics)).as(snapshot.getMetadata().getName() + (openMetrics ? " OpenMetrics" : " text"))
            .isEqualTo(clients(snapshot, openMetrics));
      }
    }
  }

  /** Else the scrape would still pay the client's writer for them. */
  @Test
  void everyTunnelFamilyIsOfTheKindItWrites() throws Exception {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    org.tunnelwatch.config.TunnelConfig tunnel = new org.tunnelwatch.config.TunnelConfig("t1", "t1", "net",
        java.net.InetAddress.getByName("198.51.100.1"),
        List.of(org.tunnelwatch.probe.ProbeTarget.icmp(java.net.InetAddress.getByName("203.0.113.1"))), java.util.Optional.of("wan"),
        org.tunnelwatch.config.TunnelSettings.builder().build());
    AgentMetrics metrics = new AgentMetrics(registry, org.tunnelwatch.time.TimeSource.system(), List.of(tunnel), List.of("wan"));
    metrics.remedied("t1", new org.tunnelwatch.remedy.RemedyOutcome(org.tunnelwatch.remedy.RemedyAction.REINITIATE,
        org.tunnelwatch.remedy.RemedyResult.SUCCESS, "", java.time.Duration.ofMillis(300)), "down");

    StreamedFamilies.FamilyByFamily scrape = new StreamedFamilies.FamilyByFamily();
    registry.getPrometheusRegistry().scrape(name -> true, scrape);

    assertThat(scrape.deferred()).hasSize(1);
    StreamedFamilies families = scrape.deferred().get(0);
    assertThat(families.names()).hasSizeGreaterThan(20);
    for (String name : families.names()) {
      assertThat(FamilyText.canWrite(families.collect(name))).as(name).isTrue();
    }
  }

  @Test
  void whatItDoesNotKnowIsLeftToTheClient() {
    MetricSnapshot withoutHelp = GaugeWithCallback.builder().name("test_nohelp").callback(cb -> cb.call(1)).build().collect();
    MetricSnapshot dotted = GaugeWithCallback.builder().name("test.dotted").help("Dots").callback(cb -> cb.call(1)).build().collect();

    assertThat(FamilyText.canWrite(withoutHelp)).isFalse();
    assertThat(FamilyText.canWrite(dotted)).isFalse();
  }

  private static String ours(MetricSnapshot snapshot, boolean openMetrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FamilyText text = new FamilyText(out, openMetrics);
    text.write(snapshot);
    text.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String clients(MetricSnapshot snapshot, boolean openMetrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (openMetrics) {
      OpenMetricsTextFormatWriter.create().write(out, MetricSnapshots.of(snapshot));
      return out.toString(StandardCharsets.UTF_8).replaceFirst("# EOF\n$", "");
    }
    PrometheusTextFormatWriter.create().write(out, MetricSnapshots.of(snapshot));
    return out.toString(StandardCharsets.UTF_8);
  }
}
