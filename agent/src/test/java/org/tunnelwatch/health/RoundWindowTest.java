package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
  void anEmptyWindowKnowsNeitherLossNorRtt() {
    assertThat(RoundWindow.empty().lossRatio()).isNaN();
    assertThat(RoundWindow.empty().hasReplies()).isFalse();
    assertThat(RoundWindow.empty().meanRttSeconds()).isNaN();
  }

  @Test
  void echoesThatCouldNotBeSentCountAsLost() {
    RoundWindow window = RoundWindow.empty();
    window = window.plus(new RoundSample(secs(1), 4, 4, 4, 4_000_000), SPAN);
    window = window.plus(new RoundSample(secs(2), 4, 0, 0, 0), SPAN);

    assertThat(window.lossRatio()).isEqualTo(0.5);
    assertThat(window.meanRttSeconds()).isEqualTo(0.001);
  }

  @Test
  void aWindowWithoutRepliesHasFullLossAndNoRtt() {
    RoundWindow window = RoundWindow.empty().plus(new RoundSample(secs(1), 3, 0, 0, 0), SPAN);

    assertThat(window.lossRatio()).isEqualTo(1.0);
    assertThat(window.meanRttSeconds()).isNaN();
  }

  static LongStream seeds() {
    return LongStream.range(0, 1000);
  }

  /** 1000 generated sequences (the same at every run) of up to 60 rounds. */
  @ParameterizedTest
  @MethodSource("seeds")
  void agreesWithAListOfTheRecentSamples(long seed) {
    Random random = new Random(seed);
    List<RoundSample> rounds = rounds(random);
    int last = 1 + random.nextInt(8);
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

  /** Rounds at increasing times, 0.1 to 4 s apart, with up to 5 echoes each, some not sent. */
  private static List<RoundSample> rounds(Random random) {
    List<RoundSample> rounds = new ArrayList<>();
    long at = 0;
    for (int n = random.nextInt(61); n > 0; n--) {
      at += (100 + random.nextInt(3901)) * 1_000_000L;
      int attempted = random.nextInt(6);
      int sent = random.nextInt(attempted + 1);
      int received = Math.min(sent, random.nextInt(6));
      long rttSum = received == 0 ? 0 : (long) random.nextInt(50_000_001) * received;
      rounds.add(new RoundSample(at, attempted, sent, received, rttSum));
    }
    return rounds;
  }

  private static void assertAgree(RoundWindow window, List<RoundSample> model) {
    long attempted = model.stream().mapToLong(RoundSample::attempted).sum();
    long received = model.stream().mapToLong(RoundSample::received).sum();
    long rtt = model.stream().mapToLong(RoundSample::rttSumNanos).sum();
    assertThat(window.rounds()).isEqualTo(model.size());
    assertThat(window.lossRatio()).isEqualTo(Double.valueOf(attempted == 0 ? Double.NaN : (double) (attempted - received) / attempted));
    assertThat(window.hasReplies()).isEqualTo(received > 0);
    assertThat(window.meanRtt()).isEqualTo(received == 0 ? Duration.ZERO : Duration.ofNanos(rtt / received));
    assertThat(window.meanRttSeconds()).isEqualTo(Double.valueOf(received == 0 ? Double.NaN : Duration.ofNanos(rtt / received).toNanos() / 1e9));
  }

  private static long secs(long s) {
    return Duration.ofSeconds(s).toNanos();
  }
}
