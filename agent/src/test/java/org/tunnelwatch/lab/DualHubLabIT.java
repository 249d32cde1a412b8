package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.lab.DualHubLab.HubFault;

/**
 * What charon does with two paths to the same subnets (tw-lab's dual-hub and dual-uplink), with
 * the swanctl calls a failover makes and no agent: the facts docs/failover.md reports and the
 * failover design rests on, checked against the installed strongSwan so that an upgrade that
 * changes them shows here first. Traffic is a ping every 200 ms from the satellite LAN to the
 * central host behind both paths.
 */
class DualHubLabIT extends DualHubScenario {

  /** Switching paths is make-before-break: at most one echo of five a second may be lost. */
  static final int LOST_AT_MOST = 1;

  private void upWithTraffic(String topology, String makeBeforeBreak) throws IOException {
    upWatching(topology, makeBeforeBreak);
    awaitTrafficFlowing();
  }

  /** Echoes lost while {@code action} ran, counted once the last of them is settled. */
  private int lostDuring(Runnable action) throws InterruptedException {
    Instant from = Instant.now();
    action.run();
    Instant to = Instant.now();
    Thread.sleep(2500);
    return traffic.lostBetween(from.minusMillis(200), to.plusMillis(200));
  }

  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void theChildSaInstalledLastCarriesAndEachProbeCrossesItsOwnPath(String makeBeforeBreak) throws Exception {
    upWithTraffic("dual-hub", makeBeforeBreak);
    assertThat(paths.installed("b", paths.child("b"))).isTrue();
    assertThat(paths.outboundPath()).isEqualTo("a");
    assertThat(paths.returnPath()).isEqualTo("a");

    long probeA = paths.outPackets("a", paths.probeChild("a"));
    long probeB = paths.outPackets("b", paths.probeChild("b"));
    long netB = paths.outPackets("b", paths.child("b"));
    assertThat(paths.probeAnswered("b")).isTrue();
    assertThat(paths.outPackets("b", paths.probeChild("b"))).isGreaterThan(probeB);
    assertThat(paths.outPackets("a", paths.probeChild("a"))).isEqualTo(probeA);
    assertThat(paths.outPackets("b", paths.child("b"))).as("net-b carries no probe").isEqualTo(netB);
  }

  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void anInitiateOfAnInstalledChildSaMovesNothingATerminateAndInitiateMovesBothDirections(String makeBeforeBreak)
      throws Exception {
    upWithTraffic("dual-hub", makeBeforeBreak);
    Lab.Result again = paths.swanctlResult("--initiate", "--ike", paths.ike("b"), "--child", paths.child("b"), "--timeout", "5");
    assertThat(again.exitCode()).as("initiate of an installed CHILD SA:\n%s", again.output()).isNotZero();
    assertThat(again.output()).contains("not establishing CHILD_SA " + paths.child("b")).contains("due to existing duplicate");
    assertThat(paths.outboundPath()).isEqualTo("a");
    assertThat(paths.returnPath()).isEqualTo("a");

    assertThat(lostDuring(() -> paths.carryOn("b"))).as("echoes lost switching to b").isLessThanOrEqualTo(LOST_AT_MOST);
    assertThat(paths.outboundPath()).isEqualTo("b");
    assertThat(paths.returnPath()).isEqualTo("b");

    assertThat(lostDuring(() -> paths.carryOn("a"))).as("echoes lost switching back").isLessThanOrEqualTo(LOST_AT_MOST);
    assertThat(paths.outboundPath()).isEqualTo("a");
    assertThat(paths.returnPath()).isEqualTo("a");
  }

  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void aRekeyOfTheIdlePathMovesOnlyTheSatellitesDirection(String makeBeforeBreak) throws Exception {
    upWithTraffic("dual-hub", makeBeforeBreak);
    lab.swanctl("sat", "--rekey", "--ike", paths.ike("b"), "--child", paths.child("b"));
    await("outbound on b after its rekey").atMost(Duration.ofSeconds(5)).until(() -> paths.outboundPath().equals("b"));
    assertThat(paths.returnPath()).as("no updown on a rekey").isEqualTo("a");
    assertThat(traffic.outagesSince(Instant.now().minusSeconds(5))).as("asymmetric, still flowing").isZero();
  }

  /**
   * Each fault of hub-a: its probe fails while path b's answers, and carrying on b brings the LAN's
   * traffic back in both directions; the dead path is then terminated and nothing is lost.
   */
  @ParameterizedTest(name = "{0}, make_before_break {1}")
  @MethodSource("org.tunnelwatch.lab.DualHubLab$HubFault#withBothMakeBeforeBreakSettings")
  void aDeadHubIsSeenOnItsOwnProbeAndTheOtherPathTakesOver(HubFault fault, String makeBeforeBreak) throws Exception {
    upWithTraffic("dual-hub", makeBeforeBreak);
    fault.inflict(lab, "hub");
    await("path a's probe failing").atMost(Duration.ofSeconds(5)).until(() -> !paths.probeAnswered("a"));
    assertThat(paths.probeAnswered("b")).as("path b's probe").isTrue();
    await("lan traffic lost").atMost(Duration.ofSeconds(5)).until(() -> !paths.lanTrafficFlows());

    Instant switched = Instant.now();
    paths.carryOn("b");
    await("lan traffic back via b").atMost(Duration.ofSeconds(3)).until(paths::lanTrafficFlows);
    assertThat(paths.returnPath()).isEqualTo("b");
    assertThat(lostDuring(() -> paths.dropIke("a")))
        .as("echoes lost dropping the dead path").isZero();
    Thread.sleep(2000);
    assertThat(traffic.outagesSince(switched.plusSeconds(1))).isZero();
  }

  /** Hub-a back: its IKE SA and probe come back while b carries, then a takes over again. */
  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void thePrimaryBackIsProbedIdleThenPreemptsLosingAtMostOneEcho(String makeBeforeBreak) throws Exception {
    upWithTraffic("dual-hub", makeBeforeBreak);
    lab.gateway("kill", "hub");
    paths.carryOn("b");
    await("lan traffic back via b").atMost(Duration.ofSeconds(3)).until(paths::lanTrafficFlows);
    lab.gateway("start", "hub");
    paths.restartIke("a");
    await("path a's probe answered").atMost(Duration.ofSeconds(5)).until(() -> paths.probeAnswered("a"));
    assertThat(paths.outboundPath()).as("a is probed while b carries").isEqualTo("b");

    assertThat(lostDuring(() -> paths.initiate("a", paths.child("a")))).as("echoes lost preempting").isLessThanOrEqualTo(LOST_AT_MOST);
    assertThat(paths.outboundPath()).isEqualTo("a");
    assertThat(paths.returnPath()).isEqualTo("a");
    assertThat(paths.installed("b", paths.child("b"))).as("b stays established (hot)").isTrue();
  }

  @ParameterizedTest(name = "make_before_break {0}")
  @ValueSource(strings = {"yes", "no"})
  void theLteUplinkTakesOverWhenTheFibreGoesDownAndHandsBackLosingAtMostOneEcho(String makeBeforeBreak) throws Exception {
    upWithTraffic("dual-uplink", makeBeforeBreak);
    lab.fault("uplink-down");
    await("fibre probe failing").atMost(Duration.ofSeconds(5)).until(() -> !paths.probeAnswered("a"));
    assertThat(paths.probeAnswered("b")).as("lte probe").isTrue();

    paths.carryOn("b");
    await("lan traffic back via lte").atMost(Duration.ofSeconds(3)).until(paths::lanTrafficFlows);

    lab.heal("uplink");
    paths.restartIke("a");
    await("fibre probe answered").atMost(Duration.ofSeconds(5)).until(() -> paths.probeAnswered("a"));
    assertThat(lostDuring(() -> paths.initiate("a", paths.child("a")))).as("echoes lost back to fibre").isLessThanOrEqualTo(LOST_AT_MOST);
    assertThat(paths.outboundPath()).isEqualTo("a");
  }
}
