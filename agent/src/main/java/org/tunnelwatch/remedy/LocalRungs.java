package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.List;

/**
 * Whether the rungs of a tunnel's ladder that touch only it (its CHILD SA, its IKE SA) have been
 * tried and failed: what {@code failover-after: ladder} waits for. Pure.
 */
public final class LocalRungs {

  private LocalRungs() {}

  /**
   * True when the ladder has come round (every rung tried since the tunnel was last up) or its
   * next rung is one that touches the whole gateway, and the last action has settled (or failed)
   * without the tunnel coming back. A ladder of gateway rungs only has nothing local to wait for.
   */
  public static boolean failed(RemedyState state, List<RemedyAction> ladder, Duration settle, long nowNanos) {
    if (ladder.stream().allMatch(a -> a.scope() == RepairScope.GATEWAY)) {
      return true;
    }
    int next = state.nextRung() % ladder.size();
    boolean spent = state.exhausted() || ladder.get(next).scope() == RepairScope.GATEWAY && state.nextRung() > 0;
    boolean settled =
        state.lastActionFailed()
            || state.lastAttemptNanos().isEmpty()
            || nowNanos - state.lastAttemptNanos().getAsLong() >= settle.toNanos();
    return spent && settled;
  }
}
