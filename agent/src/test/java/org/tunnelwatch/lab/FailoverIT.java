package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.lab.DualHubLab.HubFault;

/**
 * A failover group against real charon: the agent in the satellite of a dual-hub (or dual-uplink)
 * lab, with members {@code via-a} (hub-a, probe source 198.51.100.11) and {@code via-b} (hub-b,
 * .12), and the LAN's traffic (a ping every 200 ms from 198.51.100.1 to the central host) watched
 * from start to end. Which hub carries the traffic is read from the lab itself: central's return
 * route (moved by the hubs' updown) and the satellite's CHILD SA counters.
 *
 * <p>Each fault of hub-a runs with {@code make_before_break = yes} and with strongSwan's stock
 * setting. Default group settings unless a test says otherwise; the tunnels use the lab's test
 * profile (interval 1s, down-after 3, settle 5s).
 */
class FailoverIT extends DualHubScenario {

  static final String GROUP = "central";
  /** At most one echo of five a second may be lost when traffic moves back. */
  static final int LOST_SWITCHING_BACK = 1;
  static final Duration PREEMPT_AFTER = Duration.ofSeconds(10);
  private static final Pattern SWITCH = Pattern.compile("failover group=" + GROUP + " traffic (\\S+) -> (\\S+)");

  /** The group's two members, and {@code group} lines (indented under the group) added. */
  static String config(Lab lab, String groupLines) {
    String tunnels = member(lab, "a", "wan") + member(lab, "b", lab.env.containsKey("TW_SAT_UPLINK2") ? "lte" : "wan");
    String text = AgentProcess.config(lab, "sat", "", "", tunnels);
    if (lab.env.containsKey("TW_SAT_UPLINK2")) {
      text = text.replace("  wan: { interface: wan0 }\n", "  wan: { interface: wan0 }\n  lte: { interface: " + lab.env.get("TW_SAT_UPLINK2") + " }\n");
    }
    return text + "failover:\n  - name: " + GROUP + "\n    members: [via-a, via-b]\n" + groupLines.indent(4);
  }

  /**
   * Member {@code via-PATH}: probed from the path's own source through its probe CHILD SA
   * ({@code child}), the LAN's traffic on its {@code traffic-child}.
   */
  private static String member(Lab lab, String path, String uplink) {
    String p = path.toUpperCase();
    return AgentProcess.tunnel("via-" + path, lab.env.get("TW_" + p + "_IKE"), lab.env.get("TW_" + p + "_PROBE_CHILD"),
            lab.env.get("TW_" + p + "_SOURCE"), lab.env.get("TW_CENTRAL"))
        .replace("uplink: wan", "uplink: " + uplink + "\n  traffic-child: " + lab.env.get("TW_" + p + "_CHILD"));
  }

  private AgentProcess upWithAgent(String topology, String makeBeforeBreak, String groupLines) throws IOException {
    return upWithAgent(topology, makeBeforeBreak, groupLines, UnaryOperator.identity());
  }

  /** As above, with {@code edit} applied to the agent's configuration text. */
  private AgentProcess upWithAgent(String topology, String makeBeforeBreak, String groupLines, UnaryOperator<String> edit)
      throws IOException {
    upWatching(topology, makeBeforeBreak);
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", edit.apply(config(lab, groupLines))));
    awaitState(agent, "via-a", "up", BOUND);
    awaitState(agent, "via-b", "up", BOUND);
    awaitTrafficFlowing();
    return agent;
  }

  private static long switches(AgentProcess agent) {
    return SWITCH.matcher(agent.logText()).results().count();
  }

  private static long switchesTo(AgentProcess agent, String member) {
    return SWITCH.matcher(agent.logText()).results().filter(m -> m.group(2).equals(member)).count();
  }

  private void awaitTrafficVia(String path, Instant since, Duration within) {
    await("lan traffic back through path " + path).atMost(within).pollInterval(Duration.ofMillis(500))
        .until(() -> traffic.backAfter(since).isPresent() && paths.returnPath().equals(path));
  }

  /** The fault stays; traffic goes through hub-b without a restart of the satellite's IPsec service. */
  @ParameterizedTest(name = "{0}, make_before_break {1}")
  @MethodSource("org.tunnelwatch.lab.DualHubLab$HubFault#withBothMakeBeforeBreakSettings")
  void aFailedHubAIsReplacedByHubBWithoutRestartingTheService(HubFault fault, String makeBeforeBreak) throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", makeBeforeBreak, "");
    Instant faultAt = Instant.now();
    fault.inflict(lab, "hub");

    awaitTrafficVia("b", faultAt, BOUND);
    assertThat(paths.outboundPath()).isEqualTo("b");
    assertThat(switchesTo(agent, "via-b")).isEqualTo(1);
    Thread.sleep(15_000); // hub-a stays dead: traffic must stay on b, the service untouched
    assertThat(traffic.outagesSince(traffic.firstBackAfter(faultAt))).as("outages after the switch").isZero();
    assertThat(remediations(agent, "via-a", "restart-service", "success") + remediations(agent, "via-a", "restart-service", "failure"))
        .as("service restarts for the failed member").isZero();
    assertThat(switches(agent)).as("switches while hub-a stays down").isEqualTo(1);
    // Its probes now match via-b's traffic CHILD SA, which covers the whole LAN: answered through
    // hub-b, they must not make via-a look up.
    assertThat(agent.logText()).as("via-a up again while hub-a is down").doesNotContain("tunnel=via-a state down -> up");
    assertThat(inState(agent, "via-a", "down")).as("via-a reported down").isTrue();
  }

  /**
   * {@code failover-after: ladder} (a cold group's default, here set on a hot one): the member's
   * own rungs are tried first, and the switch says so; the default (0s) moves at the down verdict.
   */
  @Test
  void withFailoverAfterLadderTheMembersOwnRungsComeFirst() throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", "no", "failover-after: ladder");
    Instant faultAt = Instant.now();
    HubFault.CRASH.inflict(lab, "hub");

    awaitTrafficVia("b", faultAt, BOUND);
    assertThat(agent.logText()).contains("via-a is down and the repairs that touch only it have failed; via-b is up");
    assertThat(remediations(agent, "via-a", "reinitiate", "success") + remediations(agent, "via-a", "reinitiate", "failure"))
        .as("re-initiates of via-a before the switch").isPositive();
  }

  /** Hub-a back: traffic returns to it after preempt-after, make-before-break. */
  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void trafficMovesBackAfterPreemptAfterLosingAtMostOneEcho(String makeBeforeBreak) throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", makeBeforeBreak, "preempt-after: " + PREEMPT_AFTER.toSeconds() + "s");
    Instant faultAt = Instant.now();
    HubFault.CRASH.inflict(lab, "hub");
    awaitTrafficVia("b", faultAt, BOUND);

    Instant healedAt = Instant.now();
    HubFault.CRASH.heal(lab, "hub");
    awaitTrafficVia("a", healedAt, BOUND.plus(PREEMPT_AFTER));
    Instant backOnA = Instant.now();
    assertThat(Duration.between(healedAt, backOnA)).as("not before preempt-after").isGreaterThanOrEqualTo(PREEMPT_AFTER);
    Thread.sleep(3000);
    assertThat(traffic.lostBetween(healedAt, Instant.now().minusMillis(1500))).as("echoes lost moving back").isLessThanOrEqualTo(LOST_SWITCHING_BACK);
    assertThat(switchesTo(agent, "via-a")).isEqualTo(1);
    assertThat(paths.installed("b", paths.child("b"))).as("hub-b kept established (hot)").isTrue();
  }

  /** 30% loss on hub-a's path: degraded, not failed over (no loss-limit set). */
  @Test
  void lossOnHubAsPathIsNoReasonToFailOver() throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", "yes", "");
    lab.fault("loss", "30%", "--hub", "hub");
    Thread.sleep(30_000);
    lab.heal();
    assertThat(switches(agent)).isZero();
    assertThat(paths.returnPath()).isEqualTo("a");
  }

  /** Hub-a down 20 s, up 20 s, three times (2 minutes instead of the 5, for the IT's length). */
  @Test
  void aFlappingHubAIsHeldDownAfterRepeatedFailures() throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", "yes", "preempt-after: 5s\nhold-down: { failures: 2, within: 10m, for: 15m }");
    for (int i = 0; i < 3; i++) {
      lab.gateway("kill", "hub");
      Thread.sleep(20_000);
      lab.gateway("start", "hub");
      Thread.sleep(20_000);
    }
    // a->b, b->a, a->b, and then hub-a is held down: it failed twice within 10 minutes.
    assertThat(switches(agent)).as("switches while hub-a flaps").isLessThanOrEqualTo(3);
    assertThat(paths.returnPath()).as("held down: traffic stays on hub-b").isEqualTo("b");
    assertThat(paths.lanTrafficFlows()).isTrue();
  }

  /** Both hubs down: no switching back and forth, no restart storm; hub-b back first carries. */
  @Test
  void bothHubsDownThenHubBBackFirst() throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", "yes", "");
    lab.gateway("kill", "hub");
    lab.gateway("kill", "hub2");
    awaitState(agent, "via-a", "down", DOWN_BOUND);
    awaitState(agent, "via-b", "down", DOWN_BOUND);
    Thread.sleep(30_000);
    assertThat(switches(agent)).as("switches with both down").isLessThanOrEqualTo(1);
    assertThat(remediations(agent, "via-a", "restart-service", "success") + remediations(agent, "via-b", "restart-service", "success"))
        .as("service restarts with both hubs down").isLessThanOrEqualTo(1);
    assertThat(agent.tunnelsJson()).contains("\"failover\"").contains("\"" + GROUP + "\"");
    assertThat(inState(agent, "via-a", "down") && inState(agent, "via-b", "down")).as("status: both down").isTrue();

    Instant hubBBack = Instant.now();
    lab.gateway("start", "hub2");
    awaitTrafficVia("b", hubBBack, BOUND);
  }

  /** Restarted while on hub-b (hub-a still dead), the agent stays on hub-b without a switch. */
  @Test
  void aRestartedAgentStaysOnTheBackup() throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", "yes", "");
    Instant faultAt = Instant.now();
    HubFault.CRASH.inflict(lab, "hub");
    awaitTrafficVia("b", faultAt, BOUND);
    agent.close();

    AgentProcess again = started(AgentProcess.startOn(lab, "sat", config(lab, "")));
    Instant restartedAt = Instant.now();
    awaitState(again, "via-b", "up", BOUND);
    Thread.sleep(15_000);
    assertThat(switches(again)).as("switches by the restarted agent").isZero();
    assertThat(again.tunnelsJson()).contains("\"active\":\"via-b\"");
    assertThat(paths.returnPath()).isEqualTo("b");
    assertThat(traffic.outagesSince(restartedAt)).isZero();
  }

  /**
   * A cold group: hub-b's traffic CHILD SA is not established until the traffic moves to it, and is
   * let go again once the traffic is back on hub-a.
   */
  @Test
  void aColdBackupIsInitiatedWhenTheTrafficMovesToItAndLetGoWhenItMovesBack() throws Exception {
    upWatching("dual-hub", "no");
    awaitTrafficFlowing();
    lab.swanctl("sat", "--terminate", "--ike", paths.ike("b"), "--child", paths.child("b"), "--timeout", "3");
    await("hub-b's traffic CHILD SA down before the start").atMost(BOUND).until(() -> !paths.installed("b", paths.child("b")));
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", config(lab, "mode: cold\npreempt-after: " + PREEMPT_AFTER.toSeconds() + "s")));
    awaitState(agent, "via-a", "up", BOUND);
    awaitTrafficFlowing();
    Thread.sleep(5_000);
    assertThat(paths.installed("b", paths.child("b"))).as("cold: hub-b's traffic CHILD SA not set up before it is needed").isFalse();

    Instant faultAt = Instant.now();
    HubFault.CRASH.inflict(lab, "hub");
    awaitTrafficVia("b", faultAt, BOUND);
    assertThat(paths.installed("b", paths.child("b"))).isTrue();
    assertThat(switchesTo(agent, "via-b")).isEqualTo(1);

    Instant healedAt = Instant.now();
    HubFault.CRASH.heal(lab, "hub");
    awaitTrafficVia("a", healedAt, BOUND.plus(PREEMPT_AFTER));
    await("cold: hub-b's traffic CHILD SA let go after the move back").atMost(Duration.ofSeconds(15))
        .until(() -> !paths.installed("b", paths.child("b")));
    assertThat(paths.lanTrafficFlows()).isTrue();
  }

  /**
   * With vici (one request at a time per connection), hub-a stopped cleanly and the switch at the
   * down verdict: the traffic moves at once, not after the repair's initiate towards the stopped
   * hub gives up (up to the backend's timeout: seen in lab/bench-failover as 28 s).
   */
  @Test
  void withViciTheSwitchDoesNotWaitForARepairsInitiate() throws Exception {
    AgentProcess agent = upWithAgent("dual-hub", "no", "failover-after: 0s", config -> {
      assertThat(config).contains("  type: swanctl\n");
      return config.replace("  type: swanctl\n", "  type: vici\n");
    });

    Instant faultAt = Instant.now();
    HubFault.CLEAN_STOP.inflict(lab, "hub");
    awaitTrafficVia("b", faultAt, Duration.ofSeconds(6));
    assertThat(agent.logText()).contains("through vici");
  }

  /** The LTE uplink takes over when the fibre goes down, and hands back when it returns. */
  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void theSecondUplinkCarriesWhileThePrimaryIsDown(String makeBeforeBreak) throws Exception {
    AgentProcess agent = upWithAgent("dual-uplink", makeBeforeBreak, "preempt-after: " + PREEMPT_AFTER.toSeconds() + "s");
    Instant downAt = Instant.now();
    lab.fault("uplink-down");
    await("traffic back over lte").atMost(BOUND).pollInterval(Duration.ofMillis(500))
        .until(() -> traffic.backAfter(downAt).isPresent() && paths.outboundPath().equals("b"));
    assertThat(switchesTo(agent, "via-b")).isEqualTo(1);

    Instant upAt = Instant.now();
    lab.heal("uplink");
    await("traffic back on fibre").atMost(BOUND.plus(PREEMPT_AFTER)).pollInterval(Duration.ofMillis(500))
        .until(() -> paths.outboundPath().equals("a"));
    Thread.sleep(3000);
    assertThat(traffic.lostBetween(upAt, Instant.now().minusMillis(1500))).isLessThanOrEqualTo(LOST_SWITCHING_BACK);
  }
}
