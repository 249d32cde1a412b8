package org.tunnelwatch.logging;

import ch.qos.logback.classic.Level;

/** The least severe level logged: {@code --log.level}. */
public enum LogLevel {
  ERROR(Level.ERROR),
  WARN(Level.WARN),
  INFO(Level.INFO),
  DEBUG(Level.DEBUG),
  TRACE(Level.TRACE);

  final Level logback;

  LogLevel(Level logback) {
    this.logback = logback;
  }
}
