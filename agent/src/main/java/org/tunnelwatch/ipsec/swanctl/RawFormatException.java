package org.tunnelwatch.ipsec.swanctl;

/** swanctl printed something that is not in its raw message format. */
final class RawFormatException extends Exception {

  RawFormatException(String message) {
    super(message);
  }
}
