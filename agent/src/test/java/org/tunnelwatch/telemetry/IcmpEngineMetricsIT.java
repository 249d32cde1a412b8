package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.probe.TestNamespace;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.NativeEchoProber;
import org.tunnelwatch.probe.icmp.IcmpMode;

/**
 * The engine's counters in a scrape, counted by a real engine in a namespace of the test's own:
 * an address that answers (the namespace's own), one on the LAN that does not, and one with no
 * route, which the kernel refuses.
 */
class IcmpEngineMetricsIT {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final IcmpEngineMetrics metrics = new IcmpEngineMetrics(registry);

  @Test
  void aScrapeCountsWhatTheEngineSawAndTheTotalsGoOnAcrossANewEngine() throws Exception {
    Prerequisites.requireRoot("to create a network namespace");
    try (TestNamespace ns = new TestNamespace()) {
      try (IcmpEngine engine = IcmpEngine.open(IcmpMode.RAW, ns.socketContext())) {
        metrics.engineStarted(engine::stats);
        assertThat(probe(engine, "198.51.100.1", 3)).isEqualTo(EchoStatus.SUCCESS);
        assertThat(probe(engine, "198.51.100.200", 2)).isEqualTo(EchoStatus.TIMEOUT);
        assertThat(probe(engine, "192.0.2.1", 1)).isEqualTo(EchoStatus.ERROR);

        assertThat(registry.scrape())
            .contains(
                "tunnelwatch_icmp_requests_total 3.0",
                "tunnelwatch_icmp_echoes_sent_total 5.0",
                "tunnelwatch_icmp_echoes_answered_total 3.0",
                "tunnelwatch_icmp_echoes_expired_total 2.0",
                "tunnelwatch_icmp_send_errors_total 1.0",
                "tunnelwatch_icmp_replies_ignored_total{reason=\"late\"} 0.0",
                "tunnelwatch_icmp_replies_ignored_total{reason=\"duplicate\"} 0.0",
                "tunnelwatch_icmp_replies_ignored_total{reason=\"wrong_host\"} 0.0",
                "tunnelwatch_icmp_replies_ignored_total{reason=\"wrong_payload\"} 0.0",
                "tunnelwatch_icmp_replies_ignored_total{reason=\"malformed\"} 0.0");
      }
      try (IcmpEngine reloaded = IcmpEngine.open(IcmpMode.RAW, ns.socketContext())) {
        metrics.engineStarted(reloaded::stats);
        assertThat(probe(reloaded, "198.51.100.1", 2)).isEqualTo(EchoStatus.SUCCESS);

        assertThat(registry.scrape())
            .contains("tunnelwatch_icmp_echoes_sent_total 7.0", "tunnelwatch_icmp_echoes_answered_total 5.0");
      }
    }
  }

  @Test
  void withoutANativeEngineThereAreNoSeries() {
    assertThat(registry.scrape()).doesNotContain("tunnelwatch_icmp_");
  }

  private static EchoStatus probe(IcmpEngine engine, String target, int count) throws Exception {
    EchoRequest request =
        new EchoRequest(
            InetAddress.getByName("198.51.100.1"), InetAddress.getByName(target), count, Duration.ofMillis(50), Duration.ofMillis(300));
    return NativeEchoProber.submitted(engine, request).get(5, TimeUnit.SECONDS).status();
  }
}
