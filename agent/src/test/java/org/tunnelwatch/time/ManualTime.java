package org.tunnelwatch.time;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told: tests step it instead of sleeping. Not thread-safe. */
public final class ManualTime implements TimeSource {

  private long nanos = 1_000_000_000L;
  private Instant wall = Instant.parse("2026-11-26T12:00:00Z");

  @Override
  public long monotonicNanos() {
    return nanos;
  }

  @Override
  public Instant now() {
    return wall;
  }

  public void advance(Duration d) {
    nanos += d.toNanos();
    wall = wall.plus(d);
  }

  /** Steps only the wall clock, as an NTP correction or an operator would. */
  public void stepWallClock(Duration d) {
    wall = wall.plus(d);
  }
}
