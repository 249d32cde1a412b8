package org.tunnelwatch.remedy;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the planner remembers about one tunnel's repairs. Immutable.
 *
 * @param nextRung index of the ladder rung to try next
 * @param lastAttemptNanos monotonic time of the last action taken or skipped, if any
 * @param actionTimesNanos monotonic times of the actions taken in the last hour, oldest first
 * @param waitingForUplink the uplink was down while the tunnel was broken; act as soon as it is
 *     back
 * @param exhausted every rung has been tried since the tunnel was last up
 * @param lastActionFailed the last action came back with a failure: the daemon refused it, so
 *     there is nothing to let settle and the next rung may follow at the next round
 */
public record RemedyState(
    int nextRung,
    OptionalLong lastAttemptNanos,
    List<Long> actionTimesNanos,
    boolean waitingForUplink,
    boolean exhausted,
    boolean lastActionFailed) {

  public RemedyState {
    actionTimesNanos = List.copyOf(actionTimesNanos);
  }

  /** A state whose last action, if any, did not fail. */
  public RemedyState(
      int nextRung, OptionalLong lastAttemptNanos, List<Long> actionTimesNanos, boolean waitingForUplink, boolean exhausted) {
    this(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, false);
  }

  public static RemedyState initial() {
    return new RemedyState(0, OptionalLong.empty(), List.of(), false, false, false);
  }

  RemedyState withNextRung(int rung) {
    return new RemedyState(rung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, lastActionFailed);
  }

  RemedyState withWaitingForUplink(boolean waiting) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waiting, exhausted, lastActionFailed);
  }

  RemedyState withActionTimes(List<Long> times) {
    return new RemedyState(nextRung, lastAttemptNanos, times, waitingForUplink, exhausted, lastActionFailed);
  }

  RemedyState withExhausted(boolean value) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, value, lastActionFailed);
  }

  RemedyState withLastAttempt(long nanos) {
    return new RemedyState(nextRung, OptionalLong.of(nanos), actionTimesNanos, waitingForUplink, exhausted, false);
  }

  RemedyState withLastActionFailed(boolean failed) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, failed);
  }
}
