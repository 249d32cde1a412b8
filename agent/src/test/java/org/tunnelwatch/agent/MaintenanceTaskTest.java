package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.MaintenanceConfig;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.ActionRunner;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.time.ManualTime;
import org.tunnelwatch.tunnel.ServiceRestarts;

class MaintenanceTaskTest {

  private final List<String> ran = new ArrayList<>();
  private final List<RemedyOutcome> counted = new ArrayList<>();
  private final ServiceRestarts restarts = new ServiceRestarts();
  /** Each tunnel's action times, against a limit of {@link #LIMIT} an hour (the ladder's rule lives in RemedyPlanner). */
  private static final int LIMIT = 2;
  private final java.util.Map<String, Integer> taken = new java.util.HashMap<>();
  private final MaintenanceTask.HourlyLimits limits =
      new MaintenanceTask.HourlyLimits() {
        @Override
        public Optional<String> refused(String tunnel) {
          return taken.getOrDefault(tunnel, 0) >= LIMIT ? Optional.of("limit reached") : Optional.empty();
        }

        @Override
        public void taken(String tunnel) {
          taken.merge(tunnel, 1, Integer::sum);
        }
      };
  private final ActionRunner actions =
      (target, action) -> {
        ran.add(action + (target.ike().isEmpty() ? "" : " " + target.ike() + "/" + String.join(",", target.children())));
        return new RemedyOutcome(action, RemedyResult.SUCCESS, "", Duration.ZERO);
      };

  private static TunnelConfig tunnel(String name) throws Exception {
    TunnelSettings s =
        TunnelSettings.builder().ladder(RemedyAction.REINITIATE).build();
    return new TunnelConfig(name, name, "net", InetAddress.getByName("198.51.100.1"), List.of(ProbeTarget.icmp(InetAddress.getByName("203.0.113.1"))),
        Optional.empty(), s);
  }

  @Test
  void aScheduledServiceRestartRunsOnceAndMakesTunnelsSettle() throws Exception {
    ManualTime time = new ManualTime();
    new MaintenanceTask(new MaintenanceConfig("0 30 3 * * ?", RemedyAction.RESTART_SERVICE, Optional.empty()),
            List.of(tunnel("a"), tunnel("b")), actions, restarts, limits, counted::add, time)
        .run();
    assertThat(ran).containsExactly("restart-service");
    assertThat(counted).hasSize(1);
    assertThat(restarts.last()).hasValue(time.monotonicNanos());
  }

  @Test
  void aPerTunnelActionRunsForEachSelectedTunnel() throws Exception {
    new MaintenanceTask(new MaintenanceConfig("0 0 * * * ?", RemedyAction.REINITIATE, Optional.empty()),
            List.of(tunnel("a"), tunnel("b")), actions, restarts, limits, counted::add, new ManualTime())
        .run();
    assertThat(ran).containsExactly("reinitiate a/net", "reinitiate b/net");
    assertThat(restarts.last()).isEmpty();
  }

  @Test
  void scheduledActionsCountAgainstEachTunnelsHourlyLimitAndStopAtIt() throws Exception {
    MaintenanceTask task =
        new MaintenanceTask(new MaintenanceConfig("0 0 * * * ?", RemedyAction.REINITIATE, Optional.empty()),
            List.of(tunnel("a")), actions, restarts, limits, counted::add, new ManualTime());
    for (int i = 0; i < 5; i++) {
      task.run();
    }
    assertThat(ran).containsExactly("reinitiate a/net", "reinitiate a/net");
    assertThat(counted).extracting(RemedyOutcome::result)
        .containsExactly(RemedyResult.SUCCESS, RemedyResult.SUCCESS, RemedyResult.SKIPPED, RemedyResult.SKIPPED, RemedyResult.SKIPPED);
    assertThat(counted.get(4).detail()).isEqualTo("limit reached");
  }

  @Test
  void aServiceRestartIsSkippedWhenAnyTunnelItWouldInterruptHasReachedItsLimit() throws Exception {
    taken.put("b", LIMIT);
    new MaintenanceTask(new MaintenanceConfig("0 30 3 * * ?", RemedyAction.RESTART_SERVICE, Optional.empty()),
            List.of(tunnel("a"), tunnel("b")), actions, restarts, limits, counted::add, new ManualTime())
        .run();
    assertThat(ran).isEmpty();
    assertThat(counted).singleElement().satisfies(o -> {
      assertThat(o.result()).isEqualTo(RemedyResult.SKIPPED);
      assertThat(o.detail()).isEqualTo("tunnel b: limit reached");
    });
    assertThat(restarts.last()).isEmpty();
    assertThat(taken).doesNotContainKey("a");
  }

  @Test
  void aServiceRestartThatRanCountsOnEveryTunnel() throws Exception {
    new MaintenanceTask(new MaintenanceConfig("0 30 3 * * ?", RemedyAction.RESTART_SERVICE, Optional.empty()),
            List.of(tunnel("a"), tunnel("b")), actions, restarts, limits, counted::add, new ManualTime())
        .run();
    assertThat(taken).containsEntry("a", 1).containsEntry("b", 1);
  }
}
