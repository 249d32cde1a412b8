package org.tunnelwatch.state;

import java.time.Duration;
import java.time.Instant;

/**
 * Converts between the monotonic times the planner works with and the wall-clock times the
 * history is stored in. Monotonic time starts again at a reboot (and has an arbitrary origin in
 * every process), so only wall time means anything to the next process; a stored time maps to
 * "this long before now" on the new monotonic clock.
 *
 * <p>A stored time in the future (the wall clock was stepped back since it was saved, or the file
 * came from a machine whose clock ran ahead) is clamped to now: the history then looks as recent
 * as it can, which errs on the side of fewer actions, never more. Pure.
 */
final class ClockMapping {

  /** Ages beyond this are cut to it, so that the arithmetic cannot overflow; far beyond any limit. */
  static final Duration MAX_AGE = Duration.ofDays(365);

  private ClockMapping() {}

  /** The wall-clock time of monotonic time {@code monotonic}, given both clocks now. */
  static Instant toWall(long monotonic, long nowMonotonic, Instant nowWall) {
    return nowWall.minusNanos(nowMonotonic - monotonic);
  }

  /** The monotonic time of stored wall-clock time {@code wall}; future times count as now. */
  static long toMonotonic(Instant wall, long nowMonotonic, Instant nowWall) {
    if (wall.isAfter(nowWall)) {
      return nowMonotonic;
    }
    Duration age = Duration.between(wall, nowWall);
    if (age.compareTo(MAX_AGE) > 0) {
      age = MAX_AGE;
    }
    return nowMonotonic - age.toNanos();
  }
}
