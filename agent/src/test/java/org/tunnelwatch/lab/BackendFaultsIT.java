package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The satellite's own charon absent at start, killed mid-run and restarted, with the packaged
 * agent on the satellite, for both backends that talk to charon: the agent stays up, exports
 * {@code tunnelwatch_backend_up} 0 and then 1, never tries the rungs that need the daemon while
 * it is away (they are reported as skipped), restarts the service when the ladder has that rung,
 * and resumes when charon is back.
 */
class BackendFaultsIT {

  private static final Duration BOUND = Duration.ofSeconds(60);

  /** The operator, not the agent, brings charon back: no restart-service in the ladder. */
  private static final String NO_SERVICE_RESTART = """
      ladder: [reinitiate, restart-ike]
      settle: 3s
      """;

  private Lab lab;
  private AgentProcess agent;

  @BeforeEach
  void setUp() {
    LabPrerequisites.require();
    lab = Lab.up();
  }

  @AfterEach
  void tearDown(TestInfo test) {
    try {
      if (agent != null) {
        agent.close();
        System.out.println("---- agent log of " + test.getDisplayName() + " (lab " + lab.name + ")\n" + agent.logText());
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  private double metric(String name, String... labels) {
    return agent.scrape().sum(name, labels);
  }

  private double remediations(String action, String result) {
    return metric("tunnelwatch_remediations_total", "action", action, "result", result);
  }

  /**
   * At most one rung that needs the daemon was tried per outage while charon was gone (its
   * failure says the socket refused): the one a round may start between the first failed read
   * and the retry that confirms the daemon gone (one failed read is not enough to pass the rungs
   * over), which fails at once. Once charon is back the ladder resumes where it was, and a rung
   * may then fail for other reasons (charon still loading its configuration); those do not count.
   */
  private void assertDaemonRungsAtMostTriedOnce(int outages) {
    long triedWhileGone =
        agent.logText().lines()
            .filter(l -> l.contains("result=failure") && (l.contains("action=reinitiate") || l.contains("action=restart-ike")))
            .filter(l -> l.contains("Connection refused"))
            .count();
    assertThat(triedWhileGone).as("daemon rungs tried while charon was gone").isLessThanOrEqualTo(outages);
  }

  private double daemonRungsSkipped() {
    return remediations("reinitiate", "skipped") + remediations("restart-ike", "skipped");
  }

  /** The lab's pre-shared key (lab/lib/lab.sh) must never reach the agent's log. */
  private void assertNoKeyMaterialLogged() {
    assertThat(agent.logText()).doesNotContain("tunnelwatch-lab-only-not-a-secret");
  }

  private long lines(String text) {
    return agent.logText().lines().filter(l -> l.contains(text)).count();
  }

  @ParameterizedTest(name = "backend {0}")
  @ValueSource(strings = {"vici", "swanctl"})
  void charonAbsentAtStartThenKilledMidRunTheAgentWaitsAndResumesWhenItIsBack(String backend) throws Exception {
    lab.gateway("stop", "sat");
    agent = AgentProcess.startWithBackend(lab, backend, NO_SERVICE_RESTART);

    await("backend_up 0 with charon absent").atMost(BOUND).until(() -> metric("tunnelwatch_backend_up") == 0.0);
    await("the due rung reported as skipped").atMost(BOUND).until(() -> daemonRungsSkipped() >= 1.0);
    assertDaemonRungsAtMostTriedOnce(1);

    lab.gateway("start", "sat");
    await("backend_up 1 once charon is back").atMost(BOUND).until(() -> metric("tunnelwatch_backend_up") == 1.0);
    await("tunnel up").atMost(BOUND).until(() -> metric("tunnelwatch_tunnel_up") == 1.0);
    assertThat(lab.trafficFlows()).isTrue();

    lab.gateway("kill", "sat");
    await("backend_up 0 after charon was killed").atMost(BOUND).until(() -> metric("tunnelwatch_backend_up") == 0.0);
    await("tunnel down").atMost(BOUND).until(() -> metric("tunnelwatch_tunnel_up") == 0.0);
    lab.gateway("start", "sat");
    await("backend_up 1 after the restart").atMost(BOUND).until(() -> metric("tunnelwatch_backend_up") == 1.0);
    await("tunnel up again").atMost(BOUND).until(() -> metric("tunnelwatch_tunnel_up") == 1.0);
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);

    assertDaemonRungsAtMostTriedOnce(2);
    assertThat(agent.isAlive()).isTrue();
    assertThat(lines("the IPsec daemon does not answer through")).as("one line per outage").isEqualTo(2);
    assertThat(lines("the IPsec daemon answers again through")).as("one line per return").isEqualTo(2);
    assertNoKeyMaterialLogged();
  }

  @ParameterizedTest(name = "backend {0}")
  @ValueSource(strings = {"vici", "swanctl"})
  void charonKilledMidRunIsCuredByTheServiceRestartAlone(String backend) throws Exception {
    agent = AgentProcess.startWithBackend(lab, backend, "ladder: [reinitiate, restart-ike, restart-service]");
    await("tunnel up").atMost(BOUND).until(() -> metric("tunnelwatch_tunnel_up") == 1.0);
    assertThat(metric("tunnelwatch_backend_up")).isEqualTo(1.0);

    lab.gateway("kill", "sat");
    await("backend_up 0").atMost(BOUND).until(() -> metric("tunnelwatch_backend_up") == 0.0);
    await("the agent restarted the service").atMost(BOUND).until(() -> remediations("restart-service", "success") >= 1.0);
    await("backend_up 1").atMost(BOUND).until(() -> metric("tunnelwatch_backend_up") == 1.0);
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    await("tunnel up again").atMost(BOUND).until(() -> metric("tunnelwatch_tunnel_up") == 1.0);

    assertThat(daemonRungsSkipped()).as("passed over, reported").isGreaterThanOrEqualTo(1.0);
    assertDaemonRungsAtMostTriedOnce(1);
    assertThat(remediations("restart-service", "success")).as("one restart cured it").isEqualTo(1.0);
    assertThat(agent.isAlive()).isTrue();
    assertNoKeyMaterialLogged();
  }
}
