package org.tunnelwatch.remedy;

import java.util.List;

/** What the planner wants done after a round. */
public sealed interface Decision {

  /** A sentence for logs and the status API. */
  String reason();

  /** Nothing is broken, or not enough is known yet. */
  record Idle(String reason) implements Decision {}

  /** Broken, but acting now would be wrong: settling, or the uplink is down. */
  record Wait(String reason) implements Decision {}

  /**
   * Take {@code action}, the ladder's rung {@code rung} (from 0). {@code passedOver}: the rungs
   * before it that were due but could not help or were not allowed (see {@link PassedOver}).
   */
  record Act(RemedyAction action, int rung, String reason, List<PassedOver> passedOver) implements Decision {

    public Act {
      passedOver = List.copyOf(passedOver);
    }

    public Act(RemedyAction action, int rung, String reason) {
      this(action, rung, reason, List.of());
    }
  }

  /** {@code action} was due but is not allowed now, for example by the hourly limit. */
  record Skip(RemedyAction action, String reason) implements Decision {}
}
