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
  private final ActionRunner actions =
      (target, action) -> {
        ran.add(action + (target.ike().isEmpty() ? "" : " " + target.ike() + "/" + String.join(",", target.children())));
        return new RemedyOutcome(action, RemedyResult.SUCCESS, "", Duration.ZERO);
      };

  private static TunnelConfig tunnel(String name) throws Exception {
    TunnelSettings s =
        TunnelSettings.builder().ladder(RemedyAction.REINITIATE).build();
    return new TunnelConfig(name, name, "net", InetAddress.getByName("198.51.100.1"), List.of(InetAddress.getByName("203.0.113.1")),
        Optional.empty(), s);
  }

  @Test
  void aScheduledServiceRestartRunsOnceAndMakesTunnelsSettle() throws Exception {
    ManualTime time = new ManualTime();
    new MaintenanceTask(new MaintenanceConfig("0 30 3 * * ?", RemedyAction.RESTART_SERVICE, Optional.empty()),
            List.of(tunnel("a"), tunnel("b")), actions, restarts, counted::add, time)
        .run();
    assertThat(ran).containsExactly("restart-service");
    assertThat(counted).hasSize(1);
    assertThat(restarts.last()).hasValue(time.monotonicNanos());
  }

  @Test
  void aPerTunnelActionRunsForEachSelectedTunnel() throws Exception {
    new MaintenanceTask(new MaintenanceConfig("0 0 * * * ?", RemedyAction.REINITIATE, Optional.empty()),
            List.of(tunnel("a"), tunnel("b")), actions, restarts, counted::add, new ManualTime())
        .run();
    assertThat(ran).containsExactly("reinitiate a/net", "reinitiate b/net");
    assertThat(restarts.last()).isEmpty();
  }
}
