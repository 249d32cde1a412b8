package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Clock;
import org.tunnelwatch.time.TimeSource;

/** Micrometer's clock read from the agent's {@link TimeSource}, so that all metrics keep one time. */
public final class MicrometerClock implements Clock {

  private final TimeSource time;

  public MicrometerClock(TimeSource time) {
    this.time = time;
  }

  @Override
  public long wallTime() {
    return time.now().toEpochMilli();
  }

  @Override
  public long monotonicTime() {
    return time.monotonicNanos();
  }
}
