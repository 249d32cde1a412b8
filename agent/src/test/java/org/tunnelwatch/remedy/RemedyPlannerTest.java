package org.tunnelwatch.remedy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.health.TunnelState;

class RemedyPlannerTest {

  private static final long SECOND = 1_000_000_000L;

  private final RemedyPlanner planner =
      new RemedyPlanner(
          new RemedyPolicy(
              List.of(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE),
              Duration.ofSeconds(15),
              6));

  /** Drives the planner round by round, one second apart, keeping its state. */
  private final class Rounds {
    RemedyState state = RemedyState.initial();
    long now = 100 * SECOND;
    OptionalLong serviceRestart = OptionalLong.empty();
    boolean daemonAnswers = true;
    boolean ikeConnecting = false;
    RemedyPlanner using = planner;

    Decision round(TunnelState health, boolean failed, boolean uplinkUp) {
      now += SECOND;
      RemedyPlan plan = using.plan(state, new RemedyInput(health, failed, uplinkUp, now, serviceRestart, daemonAnswers, ikeConnecting));
      state = plan.next();
      return plan.decision();
    }

    Decision down() {
      return round(TunnelState.DOWN, true, true);
    }

    /** Rounds while down, returning the actions taken. */
    List<RemedyAction> downFor(int seconds) {
      return java.util.stream.IntStream.range(0, seconds)
          .mapToObj(i -> down())
          .filter(d -> d instanceof Decision.Act)
          .map(d -> ((Decision.Act) d).action())
          .toList();
    }
  }

  @Nested
  class PeerNotAnsweringANewIkeSa {

    private final Rounds r = new Rounds();

    @Test
    void afterAnActionTheLadderIsNotClimbedWhileTheNewIkeSaWaitsForThePeer() {
      assertThat(r.down()).isInstanceOf(Decision.Act.class);
      r.ikeConnecting = true;
      // Two minutes, far past the settle time: nothing more is done.
      List<Decision> decisions = java.util.stream.IntStream.range(0, 120).mapToObj(i -> r.down()).toList();
      assertThat(decisions).allSatisfy(d -> assertThat(d).isInstanceOf(Decision.Wait.class));
      assertThat(decisions.get(119).reason()).startsWith("waiting for the peer to answer the new IKE SA");
    }

    @Test
    void whenThePeerAnswersOrTheDaemonGivesUpTheLadderGoesOn() {
      r.down();
      r.ikeConnecting = true;
      r.downFor(30);
      r.ikeConnecting = false;
      assertThat(r.down()).isEqualTo(new Decision.Act(RemedyAction.RESTART_IKE, 1, "still down 15s after the previous action"));
    }

    @Test
    void theWaitEndsAfterThreeMinutesIfTheDaemonNeverGivesUp() {
      r.down();
      r.ikeConnecting = true;
      List<RemedyAction> taken = r.downFor(181);
      assertThat(taken).containsExactly(RemedyAction.RESTART_IKE);
    }

    @Test
    void anIkeSaTheDaemonSetsUpByItselfDoesNotHoldBackTheFirstRung() {
      r.ikeConnecting = true;
      assertThat(r.down()).isInstanceOf(Decision.Act.class);
    }
  }

  @Nested
  class DaemonNotAnswering {

    @Test
    void goesStraightToTheServiceRestartAndReportsTheDaemonRungsPassedOver() {
      Rounds r = new Rounds();
      r.daemonAnswers = false;
      assertThat(r.down())
          .isEqualTo(new Decision.Act(RemedyAction.RESTART_SERVICE, 2,
              "tunnel is down; the IPsec daemon does not answer, so reinitiate and restart-ike cannot work",
              List.of(
                  new PassedOver(RemedyAction.REINITIATE, "the IPsec daemon does not answer"),
                  new PassedOver(RemedyAction.RESTART_IKE, "the IPsec daemon does not answer"))));
    }

    @Test
    void passedOverRungsAreNotCountedAgainstTheHourlyLimit() {
      Rounds r = new Rounds();
      r.daemonAnswers = false;
      r.down();
      assertThat(r.state.actionTimesNanos()).hasSize(1);
    }

    @Test
    void theServiceRestartStillSettlesAndKeepsToTheLimit() {
      Rounds r = new Rounds();
      r.using = new RemedyPlanner(new RemedyPolicy(
          List.of(RemedyAction.REINITIATE, RemedyAction.RESTART_SERVICE), Duration.ofSeconds(15), 2));
      r.daemonAnswers = false;
      // An hour of a dead daemon: two restarts (the limit), settling in between, then skips.
      List<Decision> decisions = java.util.stream.IntStream.range(0, 3600).mapToObj(i -> r.down()).toList();
      assertThat(decisions.stream().filter(d -> d instanceof Decision.Act).map(d -> ((Decision.Act) d).action()))
          .containsExactly(RemedyAction.RESTART_SERVICE, RemedyAction.RESTART_SERVICE);
      assertThat(decisions.get(1)).isInstanceOf(Decision.Wait.class);
      assertThat(decisions.stream().filter(d -> d instanceof Decision.Skip).map(Decision::reason))
          .isNotEmpty()
          .allMatch(reason -> reason.contains("limit of 2 actions per hour"));
    }

    @Test
    void withoutAServiceRestartTheDueRungIsSkippedOncePerSettlePeriodAndNotCounted() {
      Rounds r = new Rounds();
      r.using = new RemedyPlanner(new RemedyPolicy(
          List.of(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE), Duration.ofSeconds(15), 6));
      r.daemonAnswers = false;
      List<Decision> decisions = java.util.stream.IntStream.range(0, 30).mapToObj(i -> r.down()).toList();
      assertThat(decisions.stream().filter(d -> !(d instanceof Decision.Wait)))
          .containsExactly(
              new Decision.Skip(RemedyAction.REINITIATE, "the IPsec daemon does not answer and the ladder has no restart-service"),
              new Decision.Skip(RemedyAction.REINITIATE, "the IPsec daemon does not answer and the ladder has no restart-service"));
      assertThat(r.state.actionTimesNanos()).isEmpty();
    }

    @Test
    void theLadderResumesAtTheDueRungOnceTheDaemonAnswers() {
      Rounds r = new Rounds();
      r.using = new RemedyPlanner(new RemedyPolicy(
          List.of(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE), Duration.ofSeconds(15), 6));
      r.daemonAnswers = false;
      r.down();
      r.daemonAnswers = true;
      List<RemedyAction> taken = r.downFor(15);
      assertThat(taken).containsExactly(RemedyAction.REINITIATE);
    }

    @Test
    void aServiceRestartEarlierInTheLadderIsFoundByGoingRound() {
      Rounds r = new Rounds();
      r.using = new RemedyPlanner(new RemedyPolicy(
          List.of(RemedyAction.RESTART_SERVICE, RemedyAction.REINITIATE, RemedyAction.RESTART_IKE), Duration.ofSeconds(15), 6));
      r.state = new RemedyState(1, OptionalLong.empty(), List.of(), false, false);
      r.daemonAnswers = false;
      Decision d = r.down();
      assertThat(((Decision.Act) d).action()).isEqualTo(RemedyAction.RESTART_SERVICE);
      assertThat(((Decision.Act) d).passedOver()).extracting(PassedOver::action)
          .containsExactly(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE);
      assertThat(r.state.nextRung()).isEqualTo(1);
    }

    @Test
    void aDaemonThatDoesNotAnswerChangesNothingForATunnelThatIsUp() {
      Rounds r = new Rounds();
      r.daemonAnswers = false;
      assertThat(r.round(TunnelState.UP, false, true)).isInstanceOf(Decision.Idle.class);
    }
  }

  @Nested
  class Ladder {
    @Test
    void aDownTunnelIsReinitiatedAtOnce() {
      Decision decision = new Rounds().down();
      assertThat(decision).isEqualTo(new Decision.Act(RemedyAction.REINITIATE, 0, "tunnel is down"));
    }

    @Test
    void waitsTheSettleTimeBeforeTheNextRung() {
      Rounds r = new Rounds();
      r.down();
      for (int i = 0; i < 14; i++) {
        assertThat(r.down()).isInstanceOf(Decision.Wait.class);
      }
      assertThat(r.down()).isEqualTo(new Decision.Act(RemedyAction.RESTART_IKE, 1, "still down 15s after the previous action"));
    }

    @Test
    void aFailedActionLetsTheNextRungFollowAtTheNextRound() {
      Rounds r = new Rounds();
      r.down();
      r.state = planner.afterOutcome(r.state, RemedyResult.FAILURE);
      assertThat(r.down())
          .isEqualTo(new Decision.Act(RemedyAction.RESTART_IKE, 1, "still down and the previous action failed"));
    }

    @Test
    void aSuccessfulActionStillSettles() {
      Rounds r = new Rounds();
      r.down();
      r.state = planner.afterOutcome(r.state, RemedyResult.SUCCESS);
      assertThat(r.down()).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void aFailureIsForgottenOnceTheNextActionIsTaken() {
      Rounds r = new Rounds();
      r.down();
      r.state = planner.afterOutcome(r.state, RemedyResult.FAILURE);
      r.down();
      assertThat(r.state.lastActionFailed()).isFalse();
      assertThat(r.down()).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void aSkippedActionStillSettlesSoTheSkipIsNotReportedEveryRound() {
      Rounds r = new Rounds();
      r.down();
      r.state = planner.afterOutcome(r.state, RemedyResult.SKIPPED);
      assertThat(r.down()).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void climbsRungByRungThenStartsOverFromTheFirst() {
      Rounds r = new Rounds();
      assertThat(r.downFor(46))
          .containsExactly(
              RemedyAction.REINITIATE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE, RemedyAction.REINITIATE);
      assertThat(r.state.exhausted()).isTrue();
    }

    @Test
    void aRecoveredTunnelStartsFromTheFirstRungNextTime() {
      Rounds r = new Rounds();
      r.downFor(16); // reinitiate, then restart-ike
      r.round(TunnelState.UP, false, true);
      assertThat(r.state.nextRung()).isZero();
      assertThat(r.state.exhausted()).isFalse();
      r.now += 60 * SECOND;
      assertThat(r.down()).isEqualTo(new Decision.Act(RemedyAction.REINITIATE, 0, "tunnel is down"));
    }

    @Test
    void settlingWaitSaysHowLongIsLeft() {
      Rounds r = new Rounds();
      r.down();
      assertThat(r.down().reason()).isEqualTo("settling after the last action, 14s left");
    }
  }

  @Nested
  class NeverActs {
    @Test
    void onADegradedTunnel() {
      Rounds r = new Rounds();
      for (int i = 0; i < 100; i++) {
        assertThat(r.round(TunnelState.DEGRADED, i % 3 == 0, true)).isInstanceOf(Decision.Idle.class);
      }
    }

    @Test
    void onAnUnknownTunnel() {
      assertThat(new Rounds().round(TunnelState.UNKNOWN, true, true)).isInstanceOf(Decision.Idle.class);
    }

    @Test
    void whenTheLatestRoundGotReplies() {
      assertThat(new Rounds().round(TunnelState.DOWN, false, true))
          .isEqualTo(new Decision.Wait("replies are coming back, not acting"));
    }

    @Test
    void whileTheUplinkIsDown() {
      Rounds r = new Rounds();
      for (int i = 0; i < 300; i++) {
        assertThat(r.round(TunnelState.DOWN, true, false))
            .isEqualTo(new Decision.Wait("uplink is down, waiting for it"));
      }
      assertThat(r.state.actionTimesNanos()).isEmpty();
    }
  }

  @Nested
  class UplinkReturn {
    @Test
    void reinitiatesAtOnceWhenTheUplinkComesBackWithoutWaitingToSettle() {
      Rounds r = new Rounds();
      r.down(); // reinitiate
      r.down(); // settling
      r.round(TunnelState.DOWN, true, false);
      Decision decision = r.down();
      assertThat(decision)
          .isEqualTo(new Decision.Act(RemedyAction.REINITIATE, 0, "uplink is back and the tunnel is still broken"));
    }

    @Test
    void doesNothingWhenTheTunnelCameBackWithTheUplink() {
      Rounds r = new Rounds();
      r.round(TunnelState.DOWN, true, false);
      assertThat(r.round(TunnelState.DOWN, false, true)).isInstanceOf(Decision.Wait.class);
      assertThat(r.round(TunnelState.UP, false, true)).isInstanceOf(Decision.Idle.class);
      assertThat(r.state.waitingForUplink()).isFalse();
    }
  }

  @Nested
  class Limits {
    @Test
    void noMoreThanTheHourlyLimitAndTheSkipIsReportedOncePerSettlePeriod() {
      Rounds r = new Rounds();
      List<Decision> decisions = java.util.stream.IntStream.range(0, 3600).mapToObj(i -> r.down()).toList();
      long acts = decisions.stream().filter(d -> d instanceof Decision.Act).count();
      long skips = decisions.stream().filter(d -> d instanceof Decision.Skip).count();
      assertThat(acts).isEqualTo(6);
      // After the sixth action at t=75s, one skip per 15 s until the first action leaves the hour.
      assertThat(skips).isBetween(230L, 236L);
      assertThat(decisions.stream().filter(d -> d instanceof Decision.Skip).findFirst().orElseThrow().reason())
          .isEqualTo("limit of 6 actions per hour reached");
    }

    @Test
    void actionsOlderThanAnHourNoLongerCount() {
      Rounds r = new Rounds();
      r.downFor(100); // the six actions within the first 76 s
      r.now += 3600 * SECOND;
      assertThat(r.down()).isInstanceOf(Decision.Act.class);
    }

    @Test
    void aLimitOfZeroNeverActs() {
      RemedyPlanner never = new RemedyPlanner(new RemedyPolicy(List.of(RemedyAction.REINITIATE), Duration.ZERO, 0));
      RemedyPlan plan =
          never.plan(RemedyState.initial(), new RemedyInput(TunnelState.DOWN, true, true, SECOND, OptionalLong.empty()));
      assertThat(plan.decision()).isInstanceOf(Decision.Skip.class);
    }

    @Test
    void scheduledActionsShareTheLadderHourlyLimit() {
      Rounds r = new Rounds();
      for (int i = 0; i < 6; i++) {
        assertThat(planner.scheduledActionRefused(r.state, r.now)).isEmpty();
        r.state = planner.afterScheduledAction(r.state, r.now);
        r.now += 60 * SECOND;
      }
      assertThat(planner.scheduledActionRefused(r.state, r.now)).hasValue("limit of 6 actions per hour reached");
      assertThat(r.down()).isInstanceOf(Decision.Skip.class);
      r.now += 3600 * SECOND;
      assertThat(planner.scheduledActionRefused(r.state, r.now)).isEmpty();
    }

    @Test
    void aRecentServiceRestartByAnotherTunnelMakesThisOneSettle() {
      Rounds r = new Rounds();
      r.serviceRestart = OptionalLong.of(r.now - 3 * SECOND);
      assertThat(r.down().reason()).isEqualTo("the IPsec service was restarted 4s ago, settling");
    }
  }

  @Nested
  class Rungs {

    @Test
    void rekeyIkeIsARungLikeAnyOther() {
      RemedyPlanner withRekey =
          new RemedyPlanner(
              new RemedyPolicy(
                  List.of(RemedyAction.REINITIATE, RemedyAction.REKEY_IKE, RemedyAction.RESTART_IKE), Duration.ofSeconds(15), 6));
      RemedyPlan first =
          withRekey.plan(RemedyState.initial(), new RemedyInput(TunnelState.DOWN, true, true, SECOND, OptionalLong.empty()));
      RemedyPlan second =
          withRekey.plan(first.next(), new RemedyInput(TunnelState.DOWN, true, true, 20 * SECOND, OptionalLong.empty()));
      assertThat(second.decision()).extracting(d -> ((Decision.Act) d).action()).isEqualTo(RemedyAction.REKEY_IKE);
    }
  }
}
