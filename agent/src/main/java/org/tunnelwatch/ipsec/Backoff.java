package org.tunnelwatch.ipsec;

import java.time.Duration;

/**
 * Exponential backoff between attempts to reach the daemon (the VICI event stream's reconnections,
 * the SA reader's retries): {@code initial}, twice that, and so on up
 * to {@code max}; {@link #reset()} after a success. Pure and not thread-safe (one per stream).
 */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private Duration next;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, found " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The wait before the next attempt; each call doubles the one after, up to the maximum. */
  public Duration next() {
    Duration now = next;
    next = now.compareTo(max.dividedBy(2)) > 0 ? max : now.multipliedBy(2);
    return now;
  }

  public void reset() {
    next = initial;
  }
}
