package org.tunnelwatch.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the Prometheus way: a sequence of number-unit pairs from largest to smallest
 * unit, such as {@code 500ms}, {@code 2s}, {@code 1m30s} or {@code 1h}. Units: {@code d h m s ms}.
 * A bare {@code 0} is also accepted.
 */
public final class Durations {

  private static final Pattern SYNTAX =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
  private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

  private Durations() {}

  /**
   * Parses {@code text}, or returns empty if it is not a duration in this syntax or is too long
   * to be counted in milliseconds.
   */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    if (text.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long millis = 0;
    for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
      String digits = m.group(unit + 1);
      if (digits == null) {
        continue;
      }
      if (digits.length() > 12) {
        return Optional.empty(); // far beyond any sensible setting
      }
      try {
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(digits), UNIT_MILLIS[unit]));
      } catch (ArithmeticException | NumberFormatException e) {
        return Optional.empty(); // more milliseconds than a long holds
      }
    }
    return Optional.of(Duration.ofMillis(millis));
  }

  /** Whether {@code text} is written in this syntax, whether or not its value fits a long. */
  static boolean isWellFormed(String text) {
    return text != null && !text.isEmpty() && (text.equals("0") || SYNTAX.matcher(text).matches());
  }

  /** Formats a duration in the same syntax, the way a person would write it: {@code 1m30s}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (millis < 0) {
      out.append('-');
      millis = -millis;
    }
    for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
      long amount = millis / UNIT_MILLIS[unit];
      if (amount > 0) {
        out.append(amount).append(UNIT_NAMES[unit]);
        millis -= amount * UNIT_MILLIS[unit];
      }
    }
    return out.toString();
  }
}
