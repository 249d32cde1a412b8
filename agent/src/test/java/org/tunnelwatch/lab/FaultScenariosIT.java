package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The faults of the lab, one by one, against the packaged agent on the default two-gateway lab:
 * each is reported down within the bound, the rung that fits repairs it (or, for a fault no
 * satellite can repair, traffic is back as soon as it ends), and the metrics say so. The hub
 * restart and crash, the uplink and random loss are in {@link LabIT}.
 */
class FaultScenariosIT extends LabScenario {

  private static final String TUNNEL = "sg1-sgcentral";

  private AgentProcess upWithAgent() throws IOException {
    lab = Lab.up();
    AgentProcess agent = started(AgentProcess.start(lab, ""));
    awaitState(agent, TUNNEL, "up", BOUND);
    return agent;
  }

  @Test
  void aFullCutTearsNothingDownSoTrafficIsBackTheMomentItEnds() throws Exception {
    AgentProcess agent = upWithAgent();

    lab.fault("cut");
    awaitState(agent, TUNNEL, "down", DOWN_BOUND);
    // The CHILD SA is still installed, so re-initiating it is refused; the next round
    // reauthenticates the IKE SA, whose IKE_SA_INIT the hub cannot answer. The old SAs stay
    // (make-before-break), and while the new IKE SA waits for the peer the agent climbs no
    // further, however long the cut lasts: four settle times here.
    await("reauthentication started").atMost(BOUND).until(() -> remediations(agent, TUNNEL, "reauth-ike", "success") >= 1.0);
    Thread.sleep(20_000);
    assertThat(agent.tunnelsJson()).contains("waiting for the peer to answer the new IKE SA");
    lab.heal();

    // The installed SAs carry traffic again at once: no wait for an IKE retransmission.
    await("traffic flows again").atMost(Duration.ofSeconds(5)).until(lab::trafficFlows);
    awaitState(agent, TUNNEL, "up", BOUND);
    assertThat(remediations(agent, TUNNEL, "restart-ike", "success") + remediations(agent, TUNNEL, "restart-ike", "failure")).isZero();
    assertThat(remediations(agent, TUNNEL, "restart-service", "success") + remediations(agent, TUNNEL, "restart-service", "failure")).isZero();
  }

  @Test
  void aChildSaWhoseDataPlaneDiedIsRenewedWhileTheFaultStaysInPlace() throws Exception {
    AgentProcess agent = upWithAgent();

    // The hub drops the ESP of the current CHILD SA only: the SA looks installed on both sides,
    // IKE works, no packet gets through. Nothing heals it but a CHILD SA with new SPIs.
    lab.fault("child-dataplane", "net");
    awaitState(agent, TUNNEL, "down", DOWN_BOUND);

    await("traffic flows again, the fault still in place").atMost(BOUND).until(lab::trafficFlows);
    awaitState(agent, TUNNEL, "up", BOUND);
    // The initiate is refused as a duplicate and reported as failed; with no sibling CHILD SA to
    // show the IKE SA alive, the reauthentication follows and gives every SA new SPIs, which
    // repairs it, so nothing further up the ladder was needed. (With a live sibling the CHILD SA
    // alone is rekeyed: TopologyIT.)
    assertThat(agent.logText()).contains("so the IKE SA is left to the next rung");
    assertThat(remediations(agent, TUNNEL, "reauth-ike", "success")).isGreaterThanOrEqualTo(1.0);
    assertThat(remediations(agent, TUNNEL, "restart-ike", "success") + remediations(agent, TUNNEL, "restart-ike", "failure")).isZero();
    assertThat(remediations(agent, TUNNEL, "restart-service", "success")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dataplane", "oneway"})
  void aDeadDataPlaneWithIkeAliveIsReportedTheLadderIsClimbedAndTrafficIsBackWhenItEnds(String kind) throws Exception {
    AgentProcess agent = upWithAgent();

    // All ESP (or all ESP towards the satellite) dropped while IKE passes: no rung can repair
    // what the path destroys, but the agent must climb the ladder and report it.
    lab.fault(kind);
    awaitState(agent, TUNNEL, "down", DOWN_BOUND);
    await("re-initiate refused, the reauthentication, then the IKE restart").atMost(BOUND)
        .until(() -> remediations(agent, TUNNEL, "restart-ike", "success") >= 1);
    assertThat(lab.trafficFlows()).isFalse();

    lab.heal(kind);
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    awaitState(agent, TUNNEL, "up", BOUND);
    assertThat(remediations(agent, TUNNEL, "restart-service", "success")).isZero();
  }

  @Test
  void aHangingRestartCommandIsKilledAtItsTimeoutAndTheLadderGoesOn() throws Exception {
    lab = Lab.up();
    String config =
        AgentProcess.config(
            lab, "sat", "timeout: 3s", "ladder: [restart-service, reinitiate]",
            AgentProcess.tunnel(TUNNEL, TUNNEL, "net", lab.env.get("TW_SAT_LAN"), lab.env.get("TW_HUB_LAN")));
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", config));
    awaitState(agent, TUNNEL, "up", BOUND);

    lab.fault("restart-hangs");
    lab.gateway("stop", "hub");
    lab.gateway("start", "hub");

    awaitState(agent, TUNNEL, "down", DOWN_BOUND);
    await("the hanging restart killed and reported").atMost(BOUND)
        .until(() -> remediations(agent, TUNNEL, "restart-service", "failure") >= 1);
    assertThat(agent.logText()).containsPattern("action=restart-service result=failure .*killed after timeout");
    await("the next rung, re-initiate, succeeded").atMost(BOUND)
        .until(() -> remediations(agent, TUNNEL, "reinitiate", "success") >= 1);
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    awaitState(agent, TUNNEL, "up", BOUND);

    // Every hanging restart was killed with its children, not left behind.
    Path pids = lab.dir().resolve("restart-hangs.pids");
    assertThat(pids).exists();
    for (String pid : Files.readAllLines(pids)) {
      assertThat(ProcessHandle.of(Long.parseLong(pid.strip())).map(ProcessHandle::isAlive).orElse(false))
          .as("hanging restart, pid %s, still alive", pid)
          .isFalse();
    }
  }
}
