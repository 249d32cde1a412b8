package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever rounds a tunnel goes through (answered, lost, unsendable, SA reported gone, at any
 * spacing), the window never shows a loss of 0 while no echo in it was answered: it shows 1, or
 * nothing (NaN) while no echo was even attempted. And the RTT is unknown exactly when there is no
 * reply. Corpus: {@code HealthWindowFuzzTestInputs/noSequenceOfRoundsShowsNoLossWithoutAReply}.
 */
class HealthWindowFuzzTest {

  private static final HealthMachine MACHINE =
      new HealthMachine(new HealthPolicy(3, 2, 0.1, Duration.ofMillis(50), Duration.ofSeconds(20)));

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void noSequenceOfRoundsShowsNoLossWithoutAReply(FuzzedDataProvider data) {
    HealthState state = HealthState.initial(0);
    long now = 0;
    for (int n = data.consumeInt(0, 200); n > 0 && data.remainingBytes() > 0; n--) {
      now += data.consumeLong(1, Duration.ofSeconds(30).toNanos());
      int attempted = data.consumeInt(0, 10);
      int sent = data.consumeInt(0, attempted);
      int received = data.consumeInt(0, sent);
      long rttSum = received * data.consumeLong(0, Duration.ofSeconds(5).toNanos());
      RoundSample round = new RoundSample(now, attempted, sent, received, rttSum);
      state = switch (data.consumeInt(0, 2)) {
        case 0 -> MACHINE.next(state, round);
        case 1 -> MACHINE.probeError(state, new RoundSample(now, attempted, 0, 0, 0), "no route");
        default -> MACHINE.saGone(state, new RoundSample(now, 0, 0, 0, 0), "CHILD SA deleted");
      };
      assertHonest(state.window());
    }
  }

  private static void assertHonest(RoundWindow window) {
    double loss = window.lossRatio();
    if (window.hasReplies()) {
      assertThat(loss).isBetween(0.0, 1.0);
      assertThat(window.meanRttSeconds()).isNotNaN().isNotNegative();
    } else {
      assertThat(loss).as("loss of a window without a reply").isIn(1.0, Double.NaN);
      assertThat(window.meanRttSeconds()).as("RTT of a window without a reply").isNaN();
    }
  }
}
