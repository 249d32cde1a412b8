package org.tunnelwatch.cli;

import java.time.Duration;
import java.util.Locale;

/** How numbers look in the command's tables. */
final class Formats {

  private Formats() {}

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  static String millis(double seconds) {
    return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.2fms", seconds * 1000);
  }

  static String millis(Duration d) {
    return millis(d.toNanos() / 1e9);
  }
}
