package org.tunnelwatch.ipsec;

/** A backend call that did not do what was asked; the message says what happened, in a line. */
public final class BackendException extends Exception {

  public BackendException(String message) {
    super(message);
  }
}
