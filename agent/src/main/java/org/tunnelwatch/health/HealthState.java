package org.tunnelwatch.health;

/**
 * Everything the state machine remembers about one tunnel. Immutable.
 *
 * @param state the current verdict
 * @param failedStreak consecutive failed rounds up to now
 * @param goodStreak consecutive rounds with replies up to now
 * @param window recent rounds, for loss and RTT
 * @param sinceNanos monotonic time of the last change of {@code state}
 * @param reason why the tunnel is in this state, in words for logs and the status API
 */
public record HealthState(
    TunnelState state,
    int failedStreak,
    int goodStreak,
    RoundWindow window,
    long sinceNanos,
    String reason) {

  /** A tunnel nothing is known about yet. */
  public static HealthState initial(long nowNanos) {
    return new HealthState(TunnelState.UNKNOWN, 0, 0, RoundWindow.empty(), nowNanos, "no probe round yet");
  }
}
