package org.tunnelwatch.ipsec.vici;

import java.io.IOException;

/** charon understood the request and refused it: unknown command, or {@code success = no}. */
public final class ViciCommandException extends IOException {

  public ViciCommandException(String message) {
    super(message);
  }
}
