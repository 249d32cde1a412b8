package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent with the vici backend against real charon: the backend is picked by {@code
 * auto} because the socket exists, SA ages are exported, and charon's DELETE events start the
 * repair long before probe rounds could notice.
 */
class ViciAgentIT extends LabScenario {

  /**
   * Rounds every 10 s with down-after 3: probes alone need 20 s or more to call the tunnel down,
   * so a repair well within that came from the event.
   */
  private static final String SLOW_ROUNDS = """
      interval: 10s
      down-after: 3
      """;

  private AgentProcess agent;

  @BeforeEach
  void upLab() {
    lab = Lab.up();
  }

  @Test
  void autoPicksViciAndExportsTheSaAges() throws Exception {
    agent = started(AgentProcess.startWithBackend(lab, "auto", ""));
    await("tunnel up").atMost(Duration.ofSeconds(40)).until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);

    assertThat(agent.logText()).contains("through vici (" + lab.env.get("TW_SAT_VICI") + ")");
    await("IKE SA age exported").atMost(Duration.ofSeconds(20))
        .until(() -> agent.scrape().sum("tunnelwatch_ike_sa_established_seconds") >= 1.0);
  }

  @Test
  void aDeleteFromTheHubStartsTheRepairWithoutWaitingForProbeRounds() throws Exception {
    agent = started(AgentProcess.startWithBackend(lab, "vici", SLOW_ROUNDS));
    await("tunnel up").atMost(Duration.ofSeconds(60)).until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);

    // A clean hub restart sends DELETE; the satellite's charon reports child-updown at once.
    lab.gateway("stop", "hub");
    lab.gateway("start", "hub");

    await("reinitiate succeeded, before probe rounds alone could have called the tunnel down")
        .atMost(Duration.ofSeconds(15))
        .until(() -> remediations(agent, "reinitiate", "success") >= 1.0);
    await("traffic flows again").atMost(Duration.ofSeconds(20)).until(lab::trafficFlows);
    assertThat(agent.logText()).contains("child-updown reported CHILD SA " + lab.env.get("TW_CHILD") + " down");
  }
}
