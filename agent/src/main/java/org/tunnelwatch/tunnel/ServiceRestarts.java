package org.tunnelwatch.tunnel;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the IPsec service was last restarted, by any tunnel or by maintenance: every tunnel
 * settles after it rather than piling its own restart on top. Thread-safe.
 */
public final class ServiceRestarts {

  private static final long NEVER = Long.MIN_VALUE;

  private final AtomicLong lastNanos = new AtomicLong(NEVER);

  public void recordAt(long monotonicNanos) {
    lastNanos.set(monotonicNanos);
  }

  /** Takes {@code other}'s last restart if it is later than this one's (after a reload). */
  public void recordLater(ServiceRestarts other) {
    other.last().ifPresent(t -> lastNanos.accumulateAndGet(t, (mine, theirs) -> mine == NEVER ? theirs : Math.max(mine, theirs)));
  }

  public OptionalLong last() {
    long value = lastNanos.get();
    return value == NEVER ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
