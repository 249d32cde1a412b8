package org.tunnelwatch.discovery;

/** Discovery could not read its input at all; the message says which and why, in one line. */
public final class DiscoveryException extends Exception {

  public DiscoveryException(String message) {
    super(message);
  }
}
