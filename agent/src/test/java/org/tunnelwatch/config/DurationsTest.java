package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "\"{0}\" is {1} ms")
  @CsvSource({
    "500ms, 500",
    "2s, 2000",
    "1m, 60000",
    "1m30s, 90000",
    "1h, 3600000",
    "1d, 86400000",
    "0, 0",
    "0s, 0",
    "0ms, 0",
    "1h0m5s, 3605000",
    "1d2h3m4s5ms, 93784005",
    "90s, 90000",
    "1500ms, 1500",
    "02s, 2000",
  })
  void prometheusStyleDurationsAreParsed(String text, long millis) {
    assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
  }

  @Test
  void minutesAreNotConfusedWithMilliseconds() {
    assertThat(Durations.parse("1m")).contains(Duration.ofMinutes(1));
    assertThat(Durations.parse("1ms")).contains(Duration.ofMillis(1));
    assertThat(Durations.parse("1m1ms")).contains(Duration.ofMillis(60_001));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(
      strings = {
        "2 seconds",
        "1.5s",
        "-1s",
        "ms",
        "s",
        "1m1h",
        "1s1m",
        "30ms1s",
        "2",
        "1S",
        "1H",
        "1w",
        "1y",
        "1us",
        " 2s",
        "2s ",
        "1s1s",
        "PT2S",
        "+2s",
        "1_000ms",
        "\u0662s", // ARABIC-INDIC DIGIT TWO
      })
  void anythingElseIsRejected(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void nothingIsNotADuration(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @Test
  void numbersOfMoreThanTwelveDigitsAreRejectedRatherThanOverflowing() {
    assertThat(Durations.parse("999999999999ms")).contains(Duration.ofMillis(999_999_999_999L));
    assertThat(Durations.parse("1000000000000ms")).isEmpty();
  }

  @Test
  void daysThatDoNotFitInALongOfMillisecondsAreRejected() {
    assertThat(Durations.parse("213503982334d51953616ms")).isEmpty();
    assertThat(Durations.parse("999999999999d")).isEmpty();
  }

  @ParameterizedTest(name = "{0} ms is written \"{1}\"")
  @CsvSource({
    "0, 0s",
    "1, 1ms",
    "500, 500ms",
    "2000, 2s",
    "2800, 2s800ms",
    "60000, 1m",
    "90000, 1m30s",
    "3600000, 1h",
    "3605000, 1h5s",
    "86400000, 1d",
    "93784005, 1d2h3m4s5ms",
  })
  void durationsAreFormattedTheWayAPersonWritesThem(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @Test
  void negativeDurationsAreFormattedWithASign() {
    assertThat(Durations.format(Duration.ofMillis(-1500))).isEqualTo("-1s500ms");
  }

  @Test
  void formattingDropsSubMillisecondParts() {
    assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms");
  }

  /** 1000 generated cases (the same at every run), plus the ends of the range. */
  static LongStream seeds() {
    return LongStream.range(0, 1000);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void formattingThenParsingGivesTheSameDuration(long seed) {
    long max = 1_000L * 86_400_000L;
    long millis = seed == 0 ? 0 : seed == 1 ? max : new Random(seed).nextLong(max + 1);
    Duration duration = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(duration))).contains(duration);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void parsingThenFormattingGivesTheCanonicalText(long seed) {
    Random random = new Random(seed);
    // Each unit absent half the time, so that every combination of units appears.
    long days = random.nextBoolean() ? 0 : random.nextInt(1000);
    long hours = random.nextBoolean() ? 0 : random.nextInt(24);
    long minutes = random.nextBoolean() ? 0 : random.nextInt(60);
    long seconds = random.nextBoolean() ? 0 : random.nextInt(60);
    long millis = random.nextBoolean() ? 0 : random.nextInt(1000);
    StringBuilder text = new StringBuilder();
    append(text, days, "d");
    append(text, hours, "h");
    append(text, minutes, "m");
    append(text, seconds, "s");
    append(text, millis, "ms");
    String canonical = text.length() == 0 ? "0s" : text.toString();

    assertThat(Durations.parse(canonical).map(Durations::format)).contains(canonical);
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }
}
