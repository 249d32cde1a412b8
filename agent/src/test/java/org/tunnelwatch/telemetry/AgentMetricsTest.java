package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.time.ManualTime;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.HealthPolicy;
import org.tunnelwatch.health.HealthMachine;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Compares an exact scrape of the agent's own series against a stored expected text. After a
 * deliberate change, regenerate it with TUNNELWATCH_WRITE_EXPECTED=1 and review the diff.
 */
class AgentMetricsTest {

  private static final TunnelSettings SETTINGS =
      TunnelSettings.builder().ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE).build();

  /**
   * The CHILD SA as the daemon reports it in round {@code i}: installed and counting, then gone
   * in the last round (the counters start again from zero, as after a rekey).
   */
  private static SaStatus sa(int i) {
    if (i == 7) {
      return new SaStatus(Optional.of(new IkeSa("sg1-sgcentral", 1, "ESTABLISHED", List.of())), Optional.empty());
    }
    ChildSa child = new ChildSa("net", 1, "INSTALLED", 1000L * (i + 1), 900L * (i + 1), 10L * (i + 1), 9L * (i + 1));
    return new SaStatus(Optional.of(new IkeSa("sg1-sgcentral", 1, "ESTABLISHED", List.of(child))), Optional.of(child));
  }

  @Test
  void aScrapeAfterAnOutageAndARepairMatchesTheExpectedText() throws Exception {
    InetAddress target = InetAddress.getByName("203.0.113.1");
    TunnelConfig tunnel =
        new TunnelConfig("sg1-sgcentral", "sg1-sgcentral", "net", InetAddress.getByName("198.51.100.1"),
            List.of(ProbeTarget.icmp(target)), Optional.of("wan"), SETTINGS);
    ManualTime clock = new ManualTime();
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MicrometerClock(clock));
    AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(tunnel), List.of("wan"));

    HealthMachine machine = new HealthMachine(HealthPolicy.from(SETTINGS));
    HealthState health = HealthState.initial(0);
    long second = 1_000_000_000L;
    int[] replies = {3, 3, 2, 0, 0, 0, 0, 0};
    AgentMetrics.RoundStarts starts = metrics.roundStarts(tunnel.name(), Duration.ofSeconds(2));
    // Rounds start every 2 s; the fifth starts half a second late.
    for (int i = 0; i < replies.length; i++) {
      clock.advance(Duration.ofMillis(i == 4 ? 2500 : i == 5 ? 1500 : 2000));
      starts.started();
      RoundSample sample = new RoundSample((i + 1) * second, 3, replies[i], replies[i] * 1_500_000L);
      HealthState next = machine.next(health, sample);
      if (next.state() != health.state()) {
        metrics.stateChanged(tunnel.name(), health, next);
      }
      health = next;
      List<Duration> rtts = java.util.Collections.nCopies(replies[i], Duration.ofNanos(1_500_000));
      TunnelRound round =
          new TunnelRound(tunnel.name(), Instant.EPOCH, List.of(EchoResult.of(target, 3, rtts)),
              Optional.of(new LinkState("wan0", true, "up", true, true)), Optional.of(sa(i)), Optional.empty(), sample);
      metrics.roundCompleted(round, health, RemedyState.initial());
    }
    metrics.uplinkChanged("wan", new LinkState("wan0", true, "up", true, true));
    metrics.backendChanged(false);
    metrics.backendChanged(true);
    metrics.stateWritableChanged(false);
    metrics.remedied(tunnel.name(), new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.SUCCESS, "", Duration.ofMillis(80)), "tunnel is down");
    metrics.remedied(tunnel.name(), new RemedyOutcome(RemedyAction.RESTART_IKE, RemedyResult.SKIPPED, "rate limit", Duration.ZERO), "tunnel is down");

    String ours =
        registry.scrape().lines()
            .filter(line -> line.startsWith("tunnelwatch_") || line.startsWith("# HELP tunnelwatch_") || line.startsWith("# TYPE tunnelwatch_"))
            .collect(Collectors.joining("\n", "", "\n"));
    if (System.getenv("TUNNELWATCH_WRITE_EXPECTED") != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/fixtures/telemetry/expected-scrape.txt"), ours);
    }
    assertThat(ours).isEqualTo(Fixtures.read("telemetry/expected-scrape.txt"));
  }
}
