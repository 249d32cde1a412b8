package org.tunnelwatch.ipsec.vici;

import java.io.IOException;

/** The daemon did not answer, or did not take our bytes, within the time allowed. */
public final class ViciTimeoutException extends IOException {

  public ViciTimeoutException(String message) {
    super(message);
  }
}
