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
 * @param failingSinceNanos monotonic time of the first failed round of the current run of failed
 *     rounds; meaningful only while {@code failedStreak > 0}. On the change to down, {@code
 *     sinceNanos - failingSinceNanos} is how long the outage took to detect.
 */
public record HealthState(
    TunnelState state,
    int failedStreak,
    int goodStreak,
    RoundWindow window,
    long sinceNanos,
    String reason,
    long failingSinceNanos) {

  /** A tunnel nothing is known about yet. */
  public static HealthState initial(long nowNanos) {
    return new HealthState(TunnelState.UNKNOWN, 0, 0, RoundWindow.empty(), nowNanos, "no probe round yet", nowNanos);
  }

  /**
   * On the change to down: the time from the first failed round of the outage to the change,
   * which is what {@code down-after} costs in detection time.
   */
  public long detectionNanos() {
    return sinceNanos - failingSinceNanos;
  }
}
