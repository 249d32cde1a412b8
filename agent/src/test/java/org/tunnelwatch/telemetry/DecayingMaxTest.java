package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

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

  /** The same samples at the same times give what Micrometer's TimeWindowMax gives. */
  @Property(tries = 200)
  void agreesWithMicrometersTimeWindowMax(
      @ForAll @Size(max = 40) java.util.List<@LongRange(min = 0, max = 200_000) Long> gaps,
      @ForAll @Size(max = 40) java.util.List<@LongRange(min = 0, max = 1_000_000) Long> values,
      @ForAll @IntRange(min = 1, max = 4) int buffers) {
    MockClock clock = new MockClock();
    TimeWindowMax reference = new TimeWindowMax(clock, MINUTE, buffers);
    DecayingMax ours = new DecayingMax(MINUTE, buffers, clock.wallTime());
    for (int i = 0; i < Math.min(gaps.size(), values.size()); i++) {
      clock.add(gaps.get(i), TimeUnit.MILLISECONDS);
      if (i % 3 == 2) { // a scrape between samples rotates too
        assertThat(ours.max(clock.wallTime())).isEqualTo((long) reference.poll(TimeUnit.NANOSECONDS));
      }
      reference.record(values.get(i), TimeUnit.NANOSECONDS);
      ours.record(values.get(i), clock.wallTime());
    }
    assertThat(ours.max(clock.wallTime())).isEqualTo((long) reference.poll(TimeUnit.NANOSECONDS));
  }
}
