package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.FailoverMode;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.failover.SwitchReason;
import org.tunnelwatch.time.ManualTime;

class FailoverMetricsTest {

  private static final List<String> MEMBERS = List.of("via-hub-a", "via-hub-b");

  private final ManualTime clock = new ManualTime();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MicrometerClock(clock));
  private final AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(), List.of());

  private List<String> lines() {
    return registry.scrape().lines().filter(l -> l.startsWith("tunnelwatch_failover")).toList();
  }

  @Test
  void aSwitchToTheBackupAndBackIsCountedAndTheTimeOnTheBackupAddsUp() {
    metrics.failoverActive("central", MEMBERS, "via-hub-a");
    clock.advance(Duration.ofSeconds(10));
    metrics.failoverSwitched(new Switch("central", "via-hub-a", "via-hub-b", SwitchReason.FAILOVER, "via-hub-a is down", true));
    metrics.failoverActive("central", MEMBERS, "via-hub-b");
    clock.advance(Duration.ofSeconds(42));
    metrics.failoverSwitched(new Switch("central", "via-hub-b", "via-hub-a", SwitchReason.PREEMPT, "back", false));
    metrics.failoverActive("central", MEMBERS, "via-hub-a");
    clock.advance(Duration.ofSeconds(100));

    assertThat(lines())
        .containsExactlyInAnyOrder(
            "tunnelwatch_failover_active{group=\"central\",tunnel=\"via-hub-a\"} 1.0",
            "tunnelwatch_failover_active{group=\"central\",tunnel=\"via-hub-b\"} 0.0",
            "tunnelwatch_failover_backup_seconds_total{group=\"central\"} 42.0",
            "tunnelwatch_failovers_total{from=\"via-hub-a\",group=\"central\",reason=\"failover\",to=\"via-hub-b\"} 1.0",
            "tunnelwatch_failovers_total{from=\"via-hub-b\",group=\"central\",reason=\"preempt\",to=\"via-hub-a\"} 1.0");
  }

  @Test
  void timeOnTheBackupGrowsWhileTheTrafficIsStillThere() {
    metrics.failoverActive("central", MEMBERS, "via-hub-b");
    clock.advance(Duration.ofMillis(2500));
    assertThat(lines()).contains("tunnelwatch_failover_backup_seconds_total{group=\"central\"} 2.5");
  }

  @Test
  void aReloadDropsTheSeriesOfRemovedGroupsAndMembersAndKeepsTheRest() {
    metrics.failoverActive("central", List.of("via-hub-a", "via-hub-b", "via-lte"), "via-hub-a");
    metrics.failoverActive("branch", List.of("via-x", "via-y"), "via-y");
    metrics.failoverSwitched(new Switch("branch", "via-x", "via-y", SwitchReason.FAILOVER, "via-x is down", true));
    clock.advance(Duration.ofSeconds(5));

    metrics.reconfigure(List.of(), List.of(), List.of(new FailoverGroupConfig(
        "central", MEMBERS, FailoverMode.HOT, Optional.empty(), true, Duration.ofMinutes(1), FailoverGroupConfig.HoldDown.DEFAULT,
        OptionalDouble.empty())));

    assertThat(lines())
        .containsExactlyInAnyOrder(
            "tunnelwatch_failover_active{group=\"central\",tunnel=\"via-hub-a\"} 1.0",
            "tunnelwatch_failover_active{group=\"central\",tunnel=\"via-hub-b\"} 0.0",
            "tunnelwatch_failover_backup_seconds_total{group=\"central\"} 0.0");
  }
}
