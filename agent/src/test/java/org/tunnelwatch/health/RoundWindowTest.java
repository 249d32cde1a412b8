package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The window against a plain list of samples: what it keeps, the loss and the mean RTT it reports
 * must be those of the rounds of the last span, however the rounds are spaced.
 */
class RoundWindowTest {

  private static final Duration SPAN = Duration.ofSeconds(10);

  @Test
  void keepsOnlyTheRoundsOfTheLastSpan() {
    RoundWindow window = RoundWindow.empty();
    window = window.plus(new RoundSample(secs(1), 2, 0, 0), SPAN);
    window = window.plus(new RoundSample(secs(5), 2, 2, 4_000_000), SPAN);
    window = window.plus(new RoundSample(secs(11), 2, 2, 2_000_000), SPAN);

    // The round at 1 s is exactly 10 s old at 11 s: out.
    assertThat(window.rounds()).isEqualTo(2);
    assertThat(window.lossRatio()).isZero();
    assertThat(window.meanRtt()).isEqualTo(Duration.ofMillis(1).plusNanos(500_000));
  }

  @Test
  void lastRoundsKeepsTheNewest() {
    RoundWindow window = RoundWindow.empty();
    window = window.plus(new RoundSample(secs(1), 1, 0, 0), SPAN);
    window = window.plus(new RoundSample(secs(2), 1, 1, 3_000_000), SPAN);

    RoundWindow last = window.lastRounds(1);

    assertThat(last.rounds()).isEqualTo(1);
    assertThat(last.lossRatio()).isZero();
    assertThat(last.meanRtt()).isEqualTo(Duration.ofMillis(3));
    assertThat(window.lastRounds(5).rounds()).isEqualTo(2);
  }

  @Test
  void anEmptyWindowHasNoLossAndNoRtt() {
    assertThat(RoundWindow.empty().lossRatio()).isZero();
    assertThat(RoundWindow.empty().hasReplies()).isFalse();
    assertThat(RoundWindow.empty().meanRtt()).isEqualTo(Duration.ZERO);
  }

  @Property
  void agreesWithAListOfTheRecentSamples(
      @ForAll("rounds") @Size(max = 60) List<RoundSample> rounds, @ForAll @IntRange(min = 1, max = 8) int last) {
    RoundWindow window = RoundWindow.empty();
    List<RoundSample> model = new ArrayList<>();
    for (RoundSample round : rounds) {
      window = window.plus(round, SPAN);
      long oldest = round.atNanos() - SPAN.toNanos();
      model.removeIf(s -> s.atNanos() <= oldest);
      model.add(round);
      assertAgree(window, model);
    }
    assertAgree(window.lastRounds(last), model.subList(Math.max(0, model.size() - last), model.size()));
  }

  /** Rounds at increasing times, 0.1 to 4 s apart, with up to 5 echoes each. */
  @Provide
  Arbitrary<List<RoundSample>> rounds() {
    Arbitrary<int[]> shapes =
        Combinators.combine(
                Arbitraries.integers().between(100, 4000),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 50_000_000))
            .as((gapMillis, sent, answered, rtt) -> new int[] {gapMillis, sent, Math.min(sent, answered), rtt});
    return shapes.list().map(RoundWindowTest::asRounds);
  }

  private static List<RoundSample> asRounds(List<int[]> shapes) {
    List<RoundSample> rounds = new ArrayList<>();
    long at = 0;
    for (int[] shape : shapes) {
      at += shape[0] * 1_000_000L;
      long rttSum = shape[2] == 0 ? 0 : (long) shape[3] * shape[2];
      rounds.add(new RoundSample(at, shape[1], shape[2], rttSum));
    }
    return rounds;
  }

  private static void assertAgree(RoundWindow window, List<RoundSample> model) {
    long sent = model.stream().mapToLong(RoundSample::sent).sum();
    long received = model.stream().mapToLong(RoundSample::received).sum();
    long rtt = model.stream().mapToLong(RoundSample::rttSumNanos).sum();
    assertThat(window.rounds()).isEqualTo(model.size());
    assertThat(window.lossRatio()).isEqualTo(sent == 0 ? 0.0 : (double) (sent - received) / sent);
    assertThat(window.hasReplies()).isEqualTo(received > 0);
    assertThat(window.meanRtt()).isEqualTo(received == 0 ? Duration.ZERO : Duration.ofNanos(rtt / received));
  }

  private static long secs(long s) {
    return Duration.ofSeconds(s).toNanos();
  }
}
