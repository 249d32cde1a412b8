package org.tunnelwatch.lab;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every scenario test shares: its own lab and agents, both torn down after the test (also
 * when it fails), the agents' logs printed, and waits on the agent's metrics.
 */
abstract class LabScenario {

  /** How long a repair may take in these tests: generous, the machine may be busy. */
  static final Duration BOUND = Duration.ofSeconds(40);

  /**
   * How long the agent may take to call a dead tunnel down with the test config (interval 1s,
   * three echoes 200 ms apart and 500 ms timeout, down-after 3): up to one interval until the
   * first failed round, then three rounds of 0.9 s back to back, plus slack for a busy machine.
   */
  static final Duration DOWN_BOUND = Duration.ofSeconds(10);

  Lab lab;
  private final List<AgentProcess> agents = new ArrayList<>();

  @BeforeEach
  void requirePrerequisites() {
    LabPrerequisites.require();
  }

  @AfterEach
  void tearDown(TestInfo test) {
    try {
      for (AgentProcess agent : agents) {
        agent.close();
        System.out.println("---- " + agent.log.getFileName() + " of " + test.getDisplayName() + " (lab " + lab.name + ")\n" + agent.logText());
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  /**
   * The two-subnets satellite (tw-lab's sg1 with sg11: two CHILD SAs, net and net11, in the IKE SA
   * sg1-sgcentral) with the agent watching both as tunnels sg1 and sg11, both reported up.
   * {@code options} go to {@code tw-lab up}, e.g. {@code "--mbb", "no"}.
   */
  AgentProcess twoSubnetsWithAgent(String... options) throws java.io.IOException {
    List<String> up = new ArrayList<>(List.of("--topology", "two-subnets"));
    up.addAll(List.of(options));
    lab = Lab.up(up.toArray(String[]::new));
    String ike = "sg1-sgcentral";
    String hubLan = "203.0.113.1";
    String tunnels =
        AgentProcess.tunnel("sg1", ike, "net", lab.env.get("TW_SAT_LAN"), hubLan)
            + AgentProcess.tunnel("sg11", ike, "net11", lab.env.get("TW_SAT_LAN2"), hubLan);
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", AgentProcess.config(lab, "sat", "", "", tunnels)));
    awaitState(agent, "sg1", "up", BOUND);
    awaitState(agent, "sg11", "up", BOUND);
    return agent;
  }

  AgentProcess started(AgentProcess agent) {
    agents.add(agent);
    return agent;
  }

  static double remediations(AgentProcess agent, String tunnel, String action, String result) {
    return agent.scrape().sum("tunnelwatch_remediations_total", "tunnel", tunnel, "action", action, "result", result);
  }

  /** As above, for the one tunnel of the single-hub lab ({@link Lab#up()}), named after its IKE SA. */
  double remediations(AgentProcess agent, String action, String result) {
    return remediations(agent, lab.env.get("TW_IKE"), action, result);
  }

  /** Actions carried out (successfully or not) for one tunnel; skips do not count. */
  static double actionsTaken(AgentProcess agent, String tunnel) {
    Scrape s = agent.scrape();
    return s.sum("tunnelwatch_remediations_total", "tunnel", tunnel, "result", "success")
        + s.sum("tunnelwatch_remediations_total", "tunnel", tunnel, "result", "failure");
  }

  static boolean inState(AgentProcess agent, String tunnel, String state) {
    return agent.scrape().sum("tunnelwatch_tunnel_state", "tunnel", tunnel, "state", state) == 1.0;
  }

  static void awaitState(AgentProcess agent, String tunnel, String state, Duration within) {
    await("tunnel " + tunnel + " reported " + state).atMost(within).pollInterval(Duration.ofMillis(250))
        .until(() -> inState(agent, tunnel, state));
  }
}
