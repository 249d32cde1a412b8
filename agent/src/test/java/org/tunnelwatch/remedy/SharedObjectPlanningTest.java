package org.tunnelwatch.remedy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.health.TunnelState;

/**
 * The planner with other tunnels on the same IKE SA and the same daemon: what it may do to them,
 * when it waits for them, and how it settles on what they did for it.
 */
class SharedObjectPlanningTest {

  private static final long SECOND = 1_000_000_000L;
  private static final Duration SETTLE = Duration.ofSeconds(15);
  private static final List<RemedyAction> LADDER =
      List.of(RemedyAction.REINITIATE, RemedyAction.REAUTH_IKE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE);

  private final RemedyPlanner planner = new RemedyPlanner(new RemedyPolicy(LADDER, SETTLE, 6));

  /** One round of a down tunnel, its state and what it shares. */
  private static final class Scene {
    RemedyState state;
    long now = 1_000 * SECOND;
    boolean makeBeforeBreak;
    SharingPolicy policy = SharingPolicy.DEFAULT;
    Optional<SharedView.Busy> ikeBusy = Optional.empty();
    Optional<SharedView.Busy> gatewayBusy = Optional.empty();
    Optional<SharedView.Taken> settleOn = Optional.empty();
    List<String> healthySiblings = List.of();
    List<String> healthyElsewhere = List.of();
    boolean daemonAnswers = true;
    RemedyInput.SaFacts sas = RemedyInput.SaFacts.UNKNOWN;
    Optional<FailoverStanding> failover = Optional.empty();

    /** A tunnel whose ladder is due at {@code rung}, the previous rung having failed. */
    Scene(int rung) {
      state = new RemedyState(rung, rung == 0 ? OptionalLong.empty() : OptionalLong.of(now - SECOND), List.of(), false, false, rung > 0);
    }

    RemedyInput input() {
      SharedView view =
          new SharedView(ikeBusy, gatewayBusy, settleOn, healthySiblings, healthyElsewhere, makeBeforeBreak, policy, failover);
      return new RemedyInput(TunnelState.DOWN, true, true, now, OptionalLong.empty(), daemonAnswers, false, sas, view);
    }
  }

  private Decision plan(Scene scene) {
    RemedyPlan plan = planner.plan(scene.state, scene.input());
    scene.state = plan.next();
    return plan.decision();
  }

  private static SharedView.Busy busy(RemedyAction action, boolean running) {
    return new SharedView.Busy("sg11", action, running ? Duration.ZERO : Duration.ofSeconds(9), running);
  }

  @Nested
  class OnTheSameIkeSa {

    @Test
    void aReinitiateWaitsWhileASiblingRestartsTheIkeSa() {
      Scene s = new Scene(0);
      s.ikeBusy = Optional.of(busy(RemedyAction.RESTART_IKE, true));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(d.reason()).isEqualTo("waiting for restart-ike by sg11 (running) on the same IKE SA");
      assertThat(s.state.lastAttemptNanos()).isEmpty();
    }

    @Test
    void aReinitiateDoesNotWaitForASiblingsReinitiate() {
      Scene s = new Scene(0);
      s.ikeBusy = Optional.of(busy(RemedyAction.REINITIATE, true));
      assertThat(plan(s)).isEqualTo(new Decision.Act(RemedyAction.REINITIATE, 0, "tunnel is down"));
    }

    @Test
    void anIkeLevelRungWaitsWhileASiblingsReinitiateSettles() {
      Scene s = new Scene(2);
      s.ikeBusy = Optional.of(busy(RemedyAction.REINITIATE, false));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(d.reason()).isEqualTo("waiting for reinitiate by sg11 (settling, 9s left) on the same IKE SA");
    }

    @Test
    void withoutMakeBeforeBreakTheReauthenticationIsPassedOverForTheRestart() {
      Scene s = new Scene(1);
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Act.class);
      Decision.Act act = (Decision.Act) d;
      assertThat(act.action()).isEqualTo(RemedyAction.RESTART_IKE);
      assertThat(act.passedOver()).extracting(PassedOver::action).containsExactly(RemedyAction.REAUTH_IKE);
      assertThat(act.reason()).contains("passed over reauth-ike: charon does not do make-before-break reauthentication");
      assertThat(s.state.nextRung()).isEqualTo(3);
      assertThat(s.state.lastIkeRepairNanos()).hasValue(s.now);
    }

    @Test
    void withMakeBeforeBreakTheReauthenticationRunsEvenBesideAHealthySibling() {
      Scene s = new Scene(1);
      s.makeBeforeBreak = true;
      s.healthySiblings = List.of("sg1");
      assertThat(plan(s)).isEqualTo(new Decision.Act(RemedyAction.REAUTH_IKE, 1, "still down and the previous action failed"));
    }

    @Test
    void aRungThatWouldCutAHealthySiblingIsPassedOverAndTheLadderComesRoundToTheChildLevel() {
      Scene s = new Scene(1);
      s.healthySiblings = List.of("sg1");
      Decision.Act act = (Decision.Act) plan(s);
      assertThat(act.action()).isEqualTo(RemedyAction.REINITIATE);
      assertThat(act.passedOver()).containsExactly(
          new PassedOver(RemedyAction.REAUTH_IKE,
              "charon does not do make-before-break reauthentication, so it would delete the IKE SA first like"
                  + " restart-ike, and wait for the peer's answer to the DELETE"),
          new PassedOver(RemedyAction.RESTART_IKE, "it would interrupt sg1 on the same IKE SA, which carries traffic"),
          new PassedOver(RemedyAction.RESTART_SERVICE, "a service restart would cut sg1, which carry traffic"));
      assertThat(s.state.nextRung()).isEqualTo(1);
      assertThat(s.state.exhausted()).isTrue();
    }

    @Test
    void theOperatorMayAllowCuttingAHealthySiblingAndTheReasonSaysWhom() {
      Scene s = new Scene(2);
      s.healthySiblings = List.of("sg1");
      s.policy = new SharingPolicy(true, false, Duration.ofMinutes(2));
      Decision.Act act = (Decision.Act) plan(s);
      assertThat(act.action()).isEqualTo(RemedyAction.RESTART_IKE);
      assertThat(act.reason()).endsWith("; interrupts sg1, which carries traffic (repairs.interrupt-healthy-siblings)");
    }

    @Test
    void aRestartASiblingTookForThisTunnelIsSettledOnAndTheLadderGoesOnAfterIt() {
      Scene s = new Scene(1);
      s.state = new RemedyState(1, OptionalLong.of(s.now - 5 * SECOND), List.of(), false, false, true);
      long restart = s.now - 3 * SECOND;
      s.settleOn = Optional.of(new SharedView.Taken("sg11", RemedyAction.RESTART_IKE, restart, false));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(d.reason()).isEqualTo("settling after the last action, 12s left");
      assertThat(s.state.lastAttemptNanos()).hasValue(restart);
      assertThat(s.state.nextRung()).isEqualTo(3);
      assertThat(s.state.lastIkeRepairNanos()).hasValue(restart);
      assertThat(s.state.actionTimesNanos()).as("not this tunnel's action").isEmpty();
    }

    @Test
    void aFailedRestartBySiblingLetsTheNextRungFollowAtOnce() {
      Scene s = new Scene(1);
      s.state = new RemedyState(1, OptionalLong.of(s.now - 5 * SECOND), List.of(), false, false, true);
      s.settleOn = Optional.of(new SharedView.Taken("sg11", RemedyAction.RESTART_IKE, s.now - 3 * SECOND, true));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Act.class);
      assertThat(((Decision.Act) d).action()).isEqualTo(RemedyAction.RESTART_SERVICE);
    }
  }

  @Nested
  class TheServiceRestart {

    @Test
    void isPassedOverWhileATunnelElsewhereCarriesTraffic() {
      Scene s = new Scene(3);
      s.healthyElsewhere = List.of("sg2", "sg3");
      Decision.Act act = (Decision.Act) plan(s);
      assertThat(act.action()).isEqualTo(RemedyAction.REINITIATE);
      assertThat(act.passedOver()).containsExactly(
          new PassedOver(RemedyAction.RESTART_SERVICE, "a service restart would cut sg2, sg3, which carry traffic"));
    }

    @Test
    void runsWhenTheDaemonIsSilentEvenIfOthersLookHealthy() {
      Scene s = new Scene(0);
      s.daemonAnswers = false;
      s.healthyElsewhere = List.of("sg2");
      Decision.Act act = (Decision.Act) plan(s);
      assertThat(act.action()).isEqualTo(RemedyAction.RESTART_SERVICE);
      assertThat(act.reason()).endsWith("; cuts sg2, which carry traffic");
    }

    @Test
    void waitsWhileAnotherTunnelsActionRunsOrSettles() {
      Scene s = new Scene(3);
      s.gatewayBusy = Optional.of(busy(RemedyAction.RESTART_IKE, false));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(d.reason()).isEqualTo("waiting for restart-ike by sg11 (settling, 9s left) before restarting the service");
    }

    @Test
    void isHeldForThePathFaultHoldWhenAnIkeRestartRebuiltTheSasAndNothingGetsThrough() {
      Scene s = new Scene(2);
      s.now += 0;
      long downSince = s.now - 10 * SECOND;
      Decision first = plan(s); // restart-ike
      assertThat(((Decision.Act) first).action()).isEqualTo(RemedyAction.RESTART_IKE);
      long restartAt = s.now;
      s.now += 16 * SECOND; // settled; the IKE SA was established right after the restart
      s.sas = new RemedyInput.SaFacts(true, OptionalLong.of(restartAt + SECOND / 2), downSince);
      Decision held = plan(s);
      assertThat(held).isInstanceOf(Decision.Wait.class);
      assertThat(held.reason()).isEqualTo(
          "an IKE-level repair rebuilt the SAs and they are installed, yet nothing gets through: the fault is on the"
              + " path; no service restart for 1m34s");
      s.now = downSince + Duration.ofMinutes(2).toNanos();
      assertThat(((Decision.Act) plan(s)).action()).isEqualTo(RemedyAction.RESTART_SERVICE);
    }

    @Test
    void isNotHeldWhenTheIkeSaIsOlderThanTheRepair() {
      Scene s = new Scene(3);
      s.state = new RemedyState(3, OptionalLong.of(s.now - 20 * SECOND), List.of(), false, false, false,
          OptionalLong.of(s.now - 20 * SECOND));
      s.sas = new RemedyInput.SaFacts(true, OptionalLong.of(s.now - 60 * SECOND), s.now - 30 * SECOND);
      assertThat(((Decision.Act) plan(s)).action()).isEqualTo(RemedyAction.RESTART_SERVICE);
    }
  }

  @Nested
  class InAFailoverGroup {

    @Test
    void theActiveMemberWithAHealthyBackupStaysOnTheServiceRestartRungWithoutTakingIt() {
      Scene s = new Scene(3);
      s.policy = new SharingPolicy(true, true, Duration.ZERO); // the policy alone would allow the restart
      s.failover = Optional.of(new FailoverStanding("central", "via-b", FailoverStanding.Role.ACTIVE_WITH_BACKUP));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(d.reason()).isEqualTo("traffic moves to via-b (failover group central) instead of a service restart");
      assertThat(s.state.nextRung()).as("still on restart-service, which is what lets the switch happen").isEqualTo(3);
    }

    @Test
    void aFailedMemberWhoseTrafficGoesElsewhereNeverRestartsTheServiceButRetriesItsOwnRungs() {
      Scene s = new Scene(3);
      s.policy = new SharingPolicy(true, true, Duration.ZERO);
      s.failover = Optional.of(new FailoverStanding("central", "via-b", FailoverStanding.Role.BACKED_UP));
      Decision.Act act = (Decision.Act) plan(s);
      assertThat(act.action()).isEqualTo(RemedyAction.REINITIATE);
      assertThat(act.passedOver())
          .containsExactly(
              new PassedOver(
                  RemedyAction.RESTART_SERVICE,
                  "via-b carries the traffic of failover group central, so the service is not restarted for this member"));
    }

    @Test
    void aColdStandbyIsLeftAlone() {
      Scene s = new Scene(0);
      s.failover = Optional.of(new FailoverStanding("central", "via-a", FailoverStanding.Role.COLD_STANDBY));
      Decision d = plan(s);
      assertThat(d).isInstanceOf(Decision.Wait.class);
      assertThat(d.reason()).startsWith("a standby of cold failover group central (via-a carries its traffic)");
    }
  }
}
