package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockMappingTest {

  private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aStoredTimeMapsToTheSameAgeOnAnotherMonotonicClock() {
    // Saved by a process whose monotonic clock read 5000 s; read back after a reboot, at 12 s.
    Instant saved = ClockMapping.toWall(5000 * SECOND - 40 * SECOND, 5000 * SECOND, NOW);
    assertThat(saved).isEqualTo(NOW.minusSeconds(40));
    assertThat(ClockMapping.toMonotonic(saved, 12 * SECOND, NOW)).isEqualTo(-28 * SECOND);
  }

  @Test
  void aTimeInTheFutureAfterTheClockWasSteppedBackCountsAsNow() {
    assertThat(ClockMapping.toMonotonic(NOW.plus(Duration.ofHours(2)), 7 * SECOND, NOW)).isEqualTo(7 * SECOND);
  }

  @Test
  void aVeryOldTimeDoesNotOverflow() {
    long mono = ClockMapping.toMonotonic(Instant.EPOCH, 3 * SECOND, NOW);
    assertThat(mono).isEqualTo(3 * SECOND - ClockMapping.MAX_AGE.toNanos());
  }
}
