package org.tunnelwatch.time;

import java.time.Instant;

/** The JVM's own clocks. Stateless, so one instance serves everyone. */
enum SystemTimeSource implements TimeSource {
  INSTANCE;

  @Override
  public long monotonicNanos() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }
}
