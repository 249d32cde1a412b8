package org.tunnelwatch.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The round clock's schedule arithmetic, and its thread with real time (behaviour, not speed). */
class RoundClockTest {

  @Test
  void theNextFiringIsOneIntervalLaterWhenOnTime() {
    assertThat(RoundClock.nextDue(1_000, 100, 1_050)).isEqualTo(1_100);
    assertThat(RoundClock.nextDue(1_000, 100, 1_100)).isEqualTo(1_100);
  }

  @Test
  void firingsMissedWhileHeldUpAreSkippedNotRunInABurst() {
    // Held up 350 ns past a firing due at 1000 with a 100 ns interval: 1100..1300 are gone.
    assertThat(RoundClock.nextDue(1_000, 100, 1_350)).isEqualTo(1_400);
    assertThat(RoundClock.nextDue(1_000, 100, 1_400)).isEqualTo(1_400);
  }

  static LongStream seeds() {
    return LongStream.range(0, 1000);
  }

  /** 1000 generated schedules (the same at every run): on time, late by less or by many intervals. */
  @ParameterizedTest
  @MethodSource("seeds")
  void theNextFiringIsOnTheScheduleNotPastAndLessThanAnIntervalAhead(long seed) {
    Random random = new Random(seed);
    long due = random.nextLong(1_000_000_001L);
    long interval = 1 + random.nextLong(seed % 2 == 0 ? 1_000 : 10_000_000_000L);
    long late = seed % 5 == 0 ? 0 : random.nextLong(100_000_000_001L);
    long now = due + late;
    long next = RoundClock.nextDue(due, interval, now);
    assertThat((next - due) % interval).isZero();
    assertThat(next).isGreaterThan(due).isGreaterThanOrEqualTo(now);
    assertThat(next - now).isLessThanOrEqualTo(interval);
  }

  @Test
  void aTaskRunsRepeatedlyAndOneThatThrowsKeepsItsSchedule() {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger throwing = new AtomicInteger();
    try (RoundClock clock = new RoundClock("test-round-clock")) {
      clock.every("counts", Duration.ofMillis(20), Duration.ZERO, runs::incrementAndGet);
      clock.every("throws", Duration.ofMillis(20), Duration.ofMillis(10), () -> {
        throwing.incrementAndGet();
        throw new IllegalStateException("a bug in a slot");
      });
      clock.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 5 && throwing.get() >= 5);
    }
  }

  @Test
  void nothingRunsAfterClose() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    RoundClock clock = new RoundClock("test-round-clock-close");
    clock.every("counts", Duration.ofMillis(10), Duration.ZERO, runs::incrementAndGet);
    clock.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 2);
    clock.close();
    int atClose = runs.get();
    Thread.sleep(100);
    assertThat(runs.get()).isEqualTo(atClose);
  }

  @Test
  void aZeroIntervalIsRefused() {
    try (RoundClock clock = new RoundClock("test-round-clock-zero")) {
      assertThatThrownBy(() -> clock.every("zero", Duration.ZERO, Duration.ZERO, () -> {}))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
