package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Repairs carried out by the packaged agent from inside its hardened unit: charon's VICI socket,
 * swanctl and {@code systemctl restart strongswan} all have to work through the sandbox
 * (ProtectSystem=strict, a bounding set of CAP_NET_RAW only, the system call filter).
 */
class SystemdRepairsIT extends MachineScenario {

  @ParameterizedTest(name = "backend {0}")
  @ValueSource(strings = {"vici", "swanctl"})
  void aHubCrashIsRepairedByTheAgentInsideTheSandbox(String backend) {
    installAndWatch(config(backend, "", ""));

    // SIGKILL sends no DELETE: the satellite keeps stale SAs until the agent repairs them.
    machine.lab.gateway("kill", "hub");
    machine.lab.gateway("start", "hub");

    await("a repair succeeded").atMost(BOUND)
        .until(() -> scrape().sum("tunnelwatch_remediations_total", "result", "success") >= 1.0);
    await("traffic flows again").atMost(BOUND).until(machine.lab::trafficFlows);
    awaitStatus("1/1 tunnels up");
    assertThat(remediations("restart-service", "success")).as("no service restart needed").isZero();
    assertThat(machine.show(UNIT, "NRestarts")).isEqualTo("0");
  }

  @Test
  void theRestartServiceRungRestartsStrongswanThroughSystemdAndTrafficReturns() {
    installAndWatch(config("swanctl", "ladder: [restart-service]", ""));
    String charonBefore = machine.show("strongswan.service", "MainPID");
    String agentBefore = machine.show(UNIT, "MainPID");

    machine.lab.gateway("kill", "hub");
    machine.lab.gateway("start", "hub");

    await("restart-service succeeded").atMost(BOUND).until(() -> remediations("restart-service", "success") >= 1.0);
    await("traffic flows again").atMost(BOUND).until(machine.lab::trafficFlows);
    awaitStatus("1/1 tunnels up");
    // systemd restarted charon-systemd on the agent's request: a new main process, no crash.
    assertThat(machine.show("strongswan.service", "MainPID")).isNotEqualTo(charonBefore).isNotEqualTo("0");
    assertThat(machine.show("strongswan.service", "ActiveState")).isEqualTo("active");
    assertThat(machine.show("strongswan.service", "NRestarts")).isEqualTo("0");
    assertThat(machine.show(UNIT, "MainPID")).as("the agent itself kept running").isEqualTo(agentBefore);
  }
}
