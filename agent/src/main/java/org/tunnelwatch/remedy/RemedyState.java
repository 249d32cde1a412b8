package org.tunnelwatch.remedy;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the planner remembers about one tunnel's repairs. Immutable.
 *
 * @param nextRung index of the ladder rung to try next
 * @param lastAttemptNanos monotonic time of the last action taken or skipped, if any, by this
 *     tunnel or, on a shared object, for it
 * @param actionTimesNanos monotonic times of the actions taken in the last hour, oldest first
 * @param waitingForUplink the uplink was down while the tunnel was broken; act as soon as it is
 *     back
 * @param exhausted every rung has been tried since the tunnel was last up
 * @param lastActionFailed the last action came back with a failure: the daemon refused it, so
 *     there is nothing to let settle and the next rung may follow at the next round
 * @param lastIkeRepairNanos when the last IKE-level action on the tunnel's IKE SA started, by this
 *     tunnel or for it: an IKE SA established after it was rebuilt by that repair
 */
public record RemedyState(
    int nextRung,
    OptionalLong lastAttemptNanos,
    List<Long> actionTimesNanos,
    boolean waitingForUplink,
    boolean exhausted,
    boolean lastActionFailed,
    OptionalLong lastIkeRepairNanos) {

  public RemedyState {
    actionTimesNanos = List.copyOf(actionTimesNanos);
  }

  /** A state with no IKE-level repair remembered. */
  public RemedyState(
      int nextRung,
      OptionalLong lastAttemptNanos,
      List<Long> actionTimesNanos,
      boolean waitingForUplink,
      boolean exhausted,
      boolean lastActionFailed) {
    this(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, lastActionFailed, OptionalLong.empty());
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
    return new RemedyState(rung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, lastActionFailed, lastIkeRepairNanos);
  }

  RemedyState withWaitingForUplink(boolean waiting) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waiting, exhausted, lastActionFailed, lastIkeRepairNanos);
  }

  RemedyState withActionTimes(List<Long> times) {
    return new RemedyState(nextRung, lastAttemptNanos, times, waitingForUplink, exhausted, lastActionFailed, lastIkeRepairNanos);
  }

  RemedyState withExhausted(boolean value) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, value, lastActionFailed, lastIkeRepairNanos);
  }

  RemedyState withLastAttempt(long nanos) {
    return new RemedyState(nextRung, OptionalLong.of(nanos), actionTimesNanos, waitingForUplink, exhausted, false, lastIkeRepairNanos);
  }

  RemedyState withLastActionFailed(boolean failed) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, failed, lastIkeRepairNanos);
  }

  RemedyState withLastIkeRepair(long nanos) {
    return new RemedyState(nextRung, lastAttemptNanos, actionTimesNanos, waitingForUplink, exhausted, lastActionFailed, OptionalLong.of(nanos));
  }
}
