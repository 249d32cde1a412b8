package org.tunnelwatch.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a failover group remembers about one member. Immutable; times are monotonic nanoseconds.
 *
 * @param failedSinceNanos when the member last went from not failed to failed, while it is failed
 * @param healthySinceNanos when it last became healthy, while it is healthy
 * @param failureTimesNanos when it failed within the hold-down window, oldest first
 * @param heldUntilNanos until when it is held down (passed over) after failing too often
 * @param noSwitchBeforeNanos a switch to it failed: not tried again before this
 */
record MemberHistory(
    OptionalLong failedSinceNanos,
    OptionalLong healthySinceNanos,
    List<Long> failureTimesNanos,
    OptionalLong heldUntilNanos,
    OptionalLong noSwitchBeforeNanos) {

  static final MemberHistory NEW =
      new MemberHistory(OptionalLong.empty(), OptionalLong.empty(), List.of(), OptionalLong.empty(), OptionalLong.empty());

  MemberHistory {
    failureTimesNanos = List.copyOf(failureTimesNanos);
  }

  boolean held(long now) {
    return heldUntilNanos.isPresent() && now < heldUntilNanos.getAsLong();
  }

  boolean mayBeTried(long now) {
    return noSwitchBeforeNanos.isEmpty() || now >= noSwitchBeforeNanos.getAsLong();
  }

  MemberHistory failing(long now, long windowNanos) {
    List<Long> times = new ArrayList<>();
    for (long t : failureTimesNanos) {
      if (now - t < windowNanos) {
        times.add(t);
      }
    }
    times.add(now);
    return new MemberHistory(OptionalLong.of(now), OptionalLong.empty(), times, heldUntilNanos, noSwitchBeforeNanos);
  }

  MemberHistory healthy(long now) {
    return new MemberHistory(OptionalLong.empty(), OptionalLong.of(now), failureTimesNanos, heldUntilNanos, noSwitchBeforeNanos);
  }

  MemberHistory neither() {
    return new MemberHistory(OptionalLong.empty(), OptionalLong.empty(), failureTimesNanos, heldUntilNanos, noSwitchBeforeNanos);
  }

  MemberHistory heldUntil(long until) {
    return new MemberHistory(failedSinceNanos, healthySinceNanos, failureTimesNanos, OptionalLong.of(until), noSwitchBeforeNanos);
  }

  MemberHistory noSwitchBefore(long until) {
    return new MemberHistory(failedSinceNanos, healthySinceNanos, failureTimesNanos, heldUntilNanos, OptionalLong.of(until));
  }
}
