package org.tunnelwatch.health;

import java.util.Locale;

/** What the agent believes about a tunnel. */
public enum TunnelState {
  /** Not enough rounds yet to say. */
  UNKNOWN,
  /** Replies come back, loss and RTT within limits. */
  UP,
  /** Replies come back, but loss or RTT over the window exceed the limits. */
  DEGRADED,
  /** No reply in {@code down-after} consecutive rounds. */
  DOWN;

  // Computed once: the label is read for every tunnel's status after every round.
  private final String label = name().toLowerCase(Locale.ROOT);

  /** Lower-case name, as in the {@code state} metric label and the status API. */
  public String label() {
    return label;
  }

  /** Whether traffic passes: up or degraded. */
  public boolean carriesTraffic() {
    return this == UP || this == DEGRADED;
  }
}
