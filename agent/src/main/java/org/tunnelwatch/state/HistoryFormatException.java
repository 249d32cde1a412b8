package org.tunnelwatch.state;

/** A history file that cannot be understood; the message says where and what, in a line. */
final class HistoryFormatException extends Exception {

  HistoryFormatException(String message) {
    super(message);
  }
}
