package org.tunnelwatch.cli;

import java.time.Duration;
import java.util.Locale;

/** How numbers look in the command's tables. */
final class Formats {

  private Formats() {}

  /** A ratio as a percentage; "-" while unknown (null from the status API). */
  static String percent(Double ratio) {
    return ratio == null ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  /** Seconds as milliseconds; "-" while unknown (null or NaN) or zero. */
  static String millis(Double seconds) {
    return seconds == null || !(seconds > 0) ? "-" : String.format(Locale.ROOT, "%.2fms", seconds * 1000);
  }

  static String millis(Duration d) {
    return millis(d.toNanos() / 1e9);
  }
}
