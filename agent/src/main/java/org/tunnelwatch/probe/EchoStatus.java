package org.tunnelwatch.probe;

import java.util.Locale;

/** How an echo probe of one target ended; the {@code result} label of the probe counter. */
public enum EchoStatus {
  /** At least one reply came back. */
  SUCCESS,
  /** Echoes were sent, no reply came back in time. */
  TIMEOUT,
  /** The probe could not be made: no such source address, no ping program, unparseable output. */
  ERROR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
