package org.tunnelwatch.logging;

/** How log lines are written: {@code --log.format}. */
public enum LogFormat {
  /** {@code LEVEL logger: message}, the message's fields as {@code key=value}. */
  LOGFMT,
  /** One JSON object per line, the fields of the message as fields of the object. */
  JSON
}
