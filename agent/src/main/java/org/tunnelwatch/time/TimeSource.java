package org.tunnelwatch.time;

import java.time.Instant;

/**
 * Where the agent's logic gets the time from. Decisions (windows, settle times, rate limits) use
 * {@link #monotonicNanos()}, which never jumps when the wall clock is stepped; {@link #now()} is
 * only for what a person reads (log lines, "since" timestamps, metrics with epoch seconds).
 *
 * <p>Tests pass a manual implementation and move it forward instead of sleeping.
 */
public interface TimeSource {

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long monotonicNanos();

  /** The wall-clock time, for display only. */
  Instant now();

  /** The JVM's clocks: {@link System#nanoTime()} and {@link Instant#now()}. */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
