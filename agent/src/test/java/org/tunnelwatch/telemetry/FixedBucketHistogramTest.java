package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedBucketHistogramTest {

  private static final FixedBucketHistogram.Bounds BOUNDS =
      new FixedBucketHistogram.Bounds(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10));

  private static FixedBucketHistogram histogram() {
    return new FixedBucketHistogram(BOUNDS, new DecayingMax(60_000, 3, 0));
  }

  private static List<Long> cumulative(ClassicHistogramBuckets buckets) {
    List<Long> counts = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < buckets.size(); i++) {
      sum += buckets.getCount(i);
      counts.add(sum);
    }
    return counts;
  }

  @Test
  void aValueOnABoundCountsInThatBucketAndOneNanosecondMoreInTheNext() {
    FixedBucketHistogram h = histogram();
    h.record(1_000_000, 0);
    h.record(1_000_001, 0);
    assertThat(cumulative(h.buckets())).containsExactly(1L, 2L, 2L, 2L);
  }

  @Test
  void bucketsAreCumulativeWithInfinityCountingEverything() {
    FixedBucketHistogram h = histogram();
    for (long nanos : new long[] {0, 500_000, 3_000_000, 7_000_000, 10_000_000, 11_000_000, 5_000_000_000L}) {
      h.record(nanos, 0);
    }
    ClassicHistogramBuckets buckets = h.buckets();
    assertThat(buckets.getUpperBound(0)).isEqualTo(0.001);
    assertThat(buckets.getUpperBound(2)).isEqualTo(0.01);
    assertThat(buckets.getUpperBound(3)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(cumulative(buckets)).containsExactly(2L, 3L, 5L, 7L);
    assertThat(h.count()).isEqualTo(7);
    assertThat(h.sumSeconds()).isEqualTo(5.0315);
    assertThat(h.maxSeconds(0)).isEqualTo(5.0);
  }

  @Test
  void negativeDurationsAreIgnoredAsMicrometersTimersIgnoreThem() {
    FixedBucketHistogram h = histogram();
    h.record(-1, 0);
    assertThat(h.count()).isZero();
    assertThat(cumulative(h.buckets())).containsOnly(0L);
  }

  @Test
  void bucketsAreACopyNotAView() {
    FixedBucketHistogram h = histogram();
    ClassicHistogramBuckets before = h.buckets();
    h.record(0, 0);
    assertThat(cumulative(before)).containsOnly(0L);
  }

  @Test
  void boundsMustIncrease() {
    assertThatThrownBy(() -> new FixedBucketHistogram.Bounds(Duration.ofMillis(5), Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
