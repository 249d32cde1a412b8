package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent against real strongSwan: two charon instances in network namespaces, the packaged
 * agent in the satellite's namespace, real faults. Each test has its own lab, torn down also
 * when the test fails; the agent's log is printed on failure.
 */
class LabIT extends LabScenario {

  private AgentProcess agent;

  @BeforeEach
  void upLab() {
    lab = Lab.up();
  }

  private double remediationsTaken() {
    Scrape s = agent.scrape();
    return s.sum("tunnelwatch_remediations_total", "result", "success") + s.sum("tunnelwatch_remediations_total", "result", "failure");
  }

  private void awaitTunnelUp() {
    await("tunnel reported up").atMost(BOUND).pollInterval(Duration.ofMillis(500))
        .until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);
  }

  @Test
  void bringsBackATunnelTheHubDroppedByReinitiatingIt() throws Exception {
    agent = started(AgentProcess.start(lab, ""));
    awaitTunnelUp();

    // A clean hub restart sends DELETE: the satellite forgets its SAs and, alone, stays down.
    lab.gateway("stop", "hub");
    lab.gateway("start", "hub");

    await("tunnel reported down").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_tunnel_state", "state", "down") == 1.0);
    // The re-initiate may come while the hub is still loading its config and be refused; then
    // the IKE restart follows at the next round (with no SA left it amounts to the same).
    await("reinitiate tried").atMost(BOUND)
        .until(() -> remediations(agent, "reinitiate", "success") + remediations(agent, "reinitiate", "failure") >= 1.0);
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    awaitTunnelUp();
    assertThat(remediations(agent, "restart-service", "success") + remediations(agent, "restart-service", "failure")).isZero();
  }

  @Test
  void reauthenticatesTheIkeSaWhenTheHubCrashedAndLeftStaleSas() throws Exception {
    agent = started(AgentProcess.start(lab, ""));
    awaitTunnelUp();

    // SIGKILL sends no DELETE: the satellite keeps a stale IKE SA and re-initiating the CHILD SA
    // alone is refused as a duplicate; the reauthentication's new IKE SA, which the restarted hub
    // answers, repairs it without the IKE restart.
    lab.gateway("kill", "hub");
    lab.gateway("start", "hub");

    await("reauth-ike succeeded").atMost(Duration.ofSeconds(60)).until(() -> remediations(agent, "reauth-ike", "success") >= 1.0);
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    awaitTunnelUp();
    assertThat(remediations(agent, "restart-ike", "success") + remediations(agent, "restart-ike", "failure")).isZero();
    assertThat(remediations(agent, "restart-service", "success")).isZero();
  }

  @Test
  void doesNothingWhileTheUplinkIsDownAndReportsTheUplink() throws Exception {
    agent = started(AgentProcess.start(lab, ""));
    awaitTunnelUp();

    lab.fault("uplink-down");
    await("uplink reported down").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_uplink_up", "uplink", "wan") == 0.0);
    await("tunnel reported down").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_tunnel_state", "state", "down") == 1.0);
    assertThat(agent.tunnelsJson()).contains("\"remedy\":\"uplink is down, waiting for it\"", "\"uplink_up\":false");
    // Well past down-after plus a settle time: still nothing done.
    Thread.sleep(8_000);
    assertThat(remediationsTaken()).isZero();

    lab.fault("uplink-up");
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    awaitTunnelUp();
    assertThat(agent.scrape().sum("tunnelwatch_uplink_up", "uplink", "wan")).isEqualTo(1.0);
    // The SAs outlived the outage, so nothing needed repair when the uplink came back either.
    assertThat(remediationsTaken()).isZero();
  }

  @Test
  void underThirtyPercentRandomLossReportsDegradationAndNeverActs() throws Exception {
    agent = started(AgentProcess.start(lab, ""));
    awaitTunnelUp();

    lab.fault("loss", "0.3");
    // 90 s of one round per second: about 270 echoes, 30% of them lost. A round fails only when
    // all three of its echoes are lost (about 1 round in 37); three such rounds in a row would be
    // needed to call the tunnel down.
    boolean degraded = false;
    boolean down = false;
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      Scrape s = agent.scrape();
      degraded |= s.sum("tunnelwatch_tunnel_state", "state", "degraded") == 1.0;
      down |= s.sum("tunnelwatch_tunnel_state", "state", "down") == 1.0;
      Thread.sleep(1_000);
    }
    Scrape scrape = agent.scrape();
    assertThat(scrape.sum("tunnelwatch_probes_total", "result", "timeout")).isGreaterThan(30);
    assertThat(degraded).as("reported degraded at some point").isTrue();
    assertThat(down).as("never reported down").isFalse();
    assertThat(remediationsTaken()).isZero();
    assertThat(scrape.sum("tunnelwatch_remediations_total", "result", "skipped")).isZero();
    assertThat(agent.tunnelsJson()).contains("\"state\":\"degraded\"");
  }
}
