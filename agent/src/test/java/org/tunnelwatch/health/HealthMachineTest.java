package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HealthMachineTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long RTT = 2_000_000L; // 2 ms per reply

  private final HealthMachine machine =
      new HealthMachine(new HealthPolicy(3, 2, 0.1, Duration.ZERO, Duration.ofSeconds(20)));

  /** Feeds rounds of 3 echoes one second apart, each with the given number of replies. */
  private static final class Run {
    private final HealthMachine machine;
    private HealthState state = HealthState.initial(0);
    private long now = 0;

    Run(HealthMachine machine) {
      this.machine = machine;
    }

    Run rounds(int times, int replies) {
      for (int i = 0; i < times; i++) {
        now += SECOND;
        state = machine.next(state, new RoundSample(now, 3, replies, replies * RTT));
      }
      return this;
    }

    TunnelState state() {
      return state.state();
    }
  }

  private Run run() {
    return new Run(machine);
  }

  @Nested
  class GoingDown {
    @Test
    void downAfterThreeFailedRoundsNotTwo() {
      Run run = run().rounds(2, 3);
      assertThat(run.state()).isEqualTo(TunnelState.UP);
      run.rounds(2, 0);
      assertThat(run.state()).isNotEqualTo(TunnelState.DOWN);
      run.rounds(1, 0);
      assertThat(run.state()).isEqualTo(TunnelState.DOWN);
      assertThat(run.state.reason()).isEqualTo("no reply in 3 consecutive rounds");
    }

    @Test
    void roundsWhoseEchoesCouldNotBeSentMakeTheTunnelUnknownNeverDown() {
      Run run = run().rounds(2, 3).rounds(2, 0);
      for (int i = 0; i < 10; i++) {
        run.now += SECOND;
        run.state = machine.probeError(run.state, new RoundSample(run.now, 3, 0, 0, 0), "cannot bind to 192.0.2.77");
      }
      assertThat(run.state()).isEqualTo(TunnelState.UNKNOWN);
      assertThat(run.state.reason()).isEqualTo("probe error, no echo could be sent: cannot bind to 192.0.2.77");
      assertThat(run.state.failedStreak()).isZero();
      run.rounds(2, 0);
      assertThat(run.state()).as("the failed rounds before the errors do not count").isEqualTo(TunnelState.UNKNOWN);
      run.rounds(1, 0);
      assertThat(run.state()).isEqualTo(TunnelState.DOWN);
    }

    @Test
    void echoesThatCouldNotBeSentCountAsLostInTheWindow() {
      Run run = run().rounds(2, 3);
      run.now += SECOND;
      run.state = machine.probeError(run.state, new RoundSample(run.now, 3, 0, 0, 0), "no route");
      assertThat(run.state.window().lossRatio()).isEqualTo(3.0 / 9);
      for (int i = 0; i < 25; i++) { // longer than the 20 s window
        run.now += SECOND;
        run.state = machine.probeError(run.state, new RoundSample(run.now, 3, 0, 0, 0), "no route");
      }
      assertThat(run.state.window().lossRatio()).isEqualTo(1.0);
      assertThat(run.state.window().meanRttSeconds()).isNaN();
    }

    @Test
    void detectionTimeRunsFromTheFirstFailedRoundToTheChangeToDown() {
      Run run = run().rounds(2, 3).rounds(1, 0);
      long firstFailed = run.now;
      run.rounds(2, 0);
      assertThat(run.state()).isEqualTo(TunnelState.DOWN);
      assertThat(run.state.failingSinceNanos()).isEqualTo(firstFailed);
      assertThat(run.state.detectionNanos()).isEqualTo(2 * SECOND);
    }

    @Test
    void aGoodRoundRestartsTheDetectionClock() {
      Run run = run().rounds(2, 3).rounds(2, 0).rounds(1, 3).rounds(1, 0);
      long firstFailed = run.now;
      run.rounds(2, 0);
      assertThat(run.state()).isEqualTo(TunnelState.DOWN);
      assertThat(run.state.failingSinceNanos()).isEqualTo(firstFailed);
    }

    @Test
    void underTheAllRuleASilentTargetAmongTwoMakesTheTunnelDownAndTheReasonSaysSo() {
      HealthState state = run().rounds(2, 3).state;
      for (int i = 1; i <= 3; i++) {
        // two targets, three echoes each: the first answers all, the second none
        state = machine.next(state, new RoundSample((2 + i) * SECOND, 6, 3, 3 * RTT, 1, TargetsRule.ALL.required(2)));
      }

      assertThat(state.state()).isEqualTo(TunnelState.DOWN);
      assertThat(state.reason())
          .isEqualTo("too few targets answered in 3 consecutive rounds (1 of the 2 required in the last)");
    }

    @Test
    void aRoundWithOneReplyOutOfThreeIsNotAFailedRound() {
      Run run = run().rounds(2, 3).rounds(10, 1);
      assertThat(run.state()).isEqualTo(TunnelState.DEGRADED);
      assertThat(run.state.failedStreak()).isZero();
    }

    @Test
    void aGoodRoundBetweenFailedOnesResetsTheCount() {
      Run run = run().rounds(2, 3).rounds(2, 0).rounds(1, 3).rounds(2, 0);
      assertThat(run.state()).isNotEqualTo(TunnelState.DOWN);
    }

    @Test
    void anUnknownTunnelThatNeverAnswersGoesDown() {
      assertThat(run().rounds(3, 0).state()).isEqualTo(TunnelState.DOWN);
    }

    @Test
    void aRoundThatCouldNotSendCountsAsFailed() {
      HealthState state = HealthState.initial(0);
      for (int i = 1; i <= 3; i++) {
        state = machine.next(state, new RoundSample(i * SECOND, 0, 0, 0));
      }
      assertThat(state.state()).isEqualTo(TunnelState.DOWN);
    }
  }

  @Nested
  class ComingBack {
    @Test
    void upAfterTwoGoodRoundsNotOne() {
      Run run = run().rounds(3, 0);
      run.rounds(1, 3);
      assertThat(run.state()).isEqualTo(TunnelState.DOWN);
      run.rounds(1, 3);
      assertThat(run.state()).isEqualTo(TunnelState.UP);
      assertThat(run.state.reason()).isEqualTo("replies in 2 consecutive rounds");
    }

    @Test
    void theOutageDoesNotCountAsLossOnceBackUp() {
      Run run = run().rounds(2, 3).rounds(5, 0).rounds(2, 3);
      assertThat(run.state()).isEqualTo(TunnelState.UP);
      assertThat(run.state.window().lossRatio()).isZero();
    }

    @Test
    void comesBackDegradedWhenTheGoodRoundsAreLossy() {
      Run run = run().rounds(3, 0).rounds(2, 1);
      assertThat(run.state()).isEqualTo(TunnelState.DEGRADED);
      assertThat(run.state.reason()).startsWith("replies in 2 consecutive rounds, but loss 66.7%");
    }

    @Test
    void sinceMarksTheLastChangeOnly() {
      Run run = run().rounds(2, 3);
      long upSince = run.state.sinceNanos();
      run.rounds(5, 3);
      assertThat(run.state.sinceNanos()).isEqualTo(upSince).isEqualTo(2 * SECOND);
    }
  }

  @Nested
  class Degradation {
    @Test
    void lossAboveTheLimitOverTheWindowIsDegraded() {
      // 2 of 30 echoes lost = 6.7% is fine; 4 of 36 = 11.1% is not.
      Run run = run().rounds(8, 3).rounds(2, 2);
      assertThat(run.state()).isEqualTo(TunnelState.UP);
      run.rounds(2, 2);
      assertThat(run.state()).isEqualTo(TunnelState.DEGRADED);
      assertThat(run.state.reason()).isEqualTo("loss 11.1% over the last 20s exceeds 10.0%");
    }

    @Test
    void lossOlderThanTheWindowIsForgotten() {
      Run run = run().rounds(2, 3).rounds(3, 1);
      assertThat(run.state()).isEqualTo(TunnelState.DEGRADED);
      run.rounds(25, 3);
      assertThat(run.state()).isEqualTo(TunnelState.UP);
      assertThat(run.state.reason()).matches("loss \\d+\\.\\d% and mean RTT 2\\.0ms over the last 20s within limits");
      assertThat(run.state.window().lossRatio()).isZero();
    }

    @Test
    void slowRepliesAreDegradedWhenAnRttLimitIsSet() {
      HealthMachine strict =
          new HealthMachine(new HealthPolicy(3, 2, 0.1, Duration.ofMillis(1), Duration.ofSeconds(20)));
      Run run = new Run(strict).rounds(3, 3);
      assertThat(run.state()).isEqualTo(TunnelState.DEGRADED);
      assertThat(run.state.reason())
          .isEqualTo("replies in 2 consecutive rounds, but mean RTT 2.0ms over the last 20s exceeds 1.0ms");
    }

    @Test
    void rttIsIgnoredWhenNoLimitIsSet() {
      assertThat(run().rounds(3, 3).state()).isEqualTo(TunnelState.UP);
    }

    @Test
    void aDegradedTunnelStillGoesDownAfterThreeFailedRounds() {
      Run run = run().rounds(2, 3).rounds(3, 1);
      assertThat(run.state()).isEqualTo(TunnelState.DEGRADED);
      assertThat(run.rounds(3, 0).state()).isEqualTo(TunnelState.DOWN);
    }
  }

  @Nested
  class SaGoneReports {

    @Test
    void anUpTunnelIsDownAtOnceWithTheReportAsReason() {
      Run run = run().rounds(2, 3);
      HealthState gone = machine.saGone(run.state, new RoundSample(run.now + SECOND / 10, 0, 0, 0), "CHILD SA net deleted");

      assertThat(gone.state()).isEqualTo(TunnelState.DOWN);
      assertThat(gone.reason()).isEqualTo("CHILD SA net deleted");
      assertThat(gone.sinceNanos()).isEqualTo(run.now + SECOND / 10);
    }

    @Test
    void theCheckingRoundDoesNotCountAsLoss() {
      Run run = run().rounds(2, 3);
      HealthState gone = machine.saGone(run.state, new RoundSample(run.now + SECOND, 0, 0, 0), "gone");
      assertThat(gone.window().lossRatio()).isZero();
    }

    @Test
    void aTunnelThatIsDownAlreadyKeepsItsReasonAndTime() {
      Run run = run().rounds(2, 3).rounds(3, 0);
      HealthState before = run.state;
      HealthState gone = machine.saGone(before, new RoundSample(run.now + SECOND, 0, 0, 0), "gone");

      assertThat(gone.reason()).isEqualTo(before.reason());
      assertThat(gone.sinceNanos()).isEqualTo(before.sinceNanos());
    }

    @Test
    void afterwardsTwoGoodRoundsBringItUpAsUsual() {
      Run run = run().rounds(2, 3);
      run.state = machine.saGone(run.state, new RoundSample(run.now, 0, 0, 0), "gone");
      assertThat(run.rounds(1, 3).state()).isEqualTo(TunnelState.DOWN);
      assertThat(run.rounds(1, 3).state()).isEqualTo(TunnelState.UP);
    }
  }
}
