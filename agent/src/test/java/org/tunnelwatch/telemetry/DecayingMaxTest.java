package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import java.util.concurrent.TimeUnit;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DecayingMaxTest {

  private static final long MINUTE = 60_000;

  @Test
  void aValueIsSeenForTwoToThreeRotationsThenForgotten() {
    DecayingMax max = new DecayingMax(MINUTE, 3, 0);
    max.record(7, 30_000);
    assertThat(max.max(30_000)).isEqualTo(7);
    assertThat(max.max(MINUTE)).isEqualTo(7);
    assertThat(max.max(2 * MINUTE)).isEqualTo(7);
    assertThat(max.max(3 * MINUTE - 1)).isEqualTo(7);
    assertThat(max.max(3 * MINUTE)).isZero();
  }

  @Test
  void aSmallerValueDoesNotHideALargerOne() {
    DecayingMax max = new DecayingMax(MINUTE, 3, 0);
    max.record(9, 0);
    max.record(3, 10);
    assertThat(max.max(20)).isEqualTo(9);
  }

  @Test
  void aLongPauseClearsEverything() {
    DecayingMax max = new DecayingMax(MINUTE, 3, 0);
    max.record(9, 0);
    assertThat(max.max(60 * MINUTE)).isZero();
    max.record(4, 60 * MINUTE + 1);
    assertThat(max.max(60 * MINUTE + 2)).isEqualTo(4);
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  /** The same samples at the same times give what Micrometer's TimeWindowMax gives (200 generated series). */
  @ParameterizedTest
  @MethodSource("seeds")
  void agreesWithMicrometersTimeWindowMax(long seed) {
    Random random = new Random(seed);
    int buffers = 1 + random.nextInt(4);
    MockClock clock = new MockClock();
    TimeWindowMax reference = new TimeWindowMax(clock, MINUTE, buffers);
    DecayingMax ours = new DecayingMax(MINUTE, buffers, clock.wallTime());
    int samples = random.nextInt(41);
    for (int i = 0; i < samples; i++) {
      // Gaps from none to over three minutes: within a rotation, across some, across all.
      clock.add(random.nextInt(200_001), TimeUnit.MILLISECONDS);
      long value = random.nextInt(1_000_001);
      if (i % 3 == 2) { // a scrape between samples rotates too
        assertThat(ours.max(clock.wallTime())).isEqualTo((long) reference.poll(TimeUnit.NANOSECONDS));
      }
      reference.record(value, TimeUnit.NANOSECONDS);
      ours.record(value, clock.wallTime());
    }
    assertThat(ours.max(clock.wallTime())).isEqualTo((long) reference.poll(TimeUnit.NANOSECONDS));
  }
}
