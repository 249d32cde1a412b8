package org.tunnelwatch.logging;

import ch.qos.logback.classic.Level;

/**
 * The syslog priority prefix that journald reads off the start of a line ({@code <3>} error,
 * {@code <4>} warning, {@code <6>} info, {@code <7>} debug), as sd-daemon(3) describes; with it
 * {@code journalctl -p warning} shows warnings and errors only.
 */
final class SyslogPriority {

  private SyslogPriority() {}

  static String prefix(Level level) {
    return "<" + priority(level) + ">";
  }

  static int priority(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return 3;
    }
    if (level.isGreaterOrEqual(Level.WARN)) {
      return 4;
    }
    if (level.isGreaterOrEqual(Level.INFO)) {
      return 6;
    }
    return 7;
  }
}
