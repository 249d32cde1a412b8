package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketHistogramTest {

  private static final double[] BOUNDS = {0.001, 0.01, 0.1, Double.POSITIVE_INFINITY};

  private static List<Long> perBucket(BucketHistogram h) {
    List<Long> counts = new ArrayList<>();
    for (ClassicHistogramBucket b : h.snapshot().buckets()) {
      counts.add(b.getCount());
    }
    return counts;
  }

  @Test
  void aValueCountsInTheFirstBucketWhoseBoundIsAtLeastIt() {
    BucketHistogram h = new BucketHistogram(BOUNDS);
    h.observe(0.001); // on the bound: le="0.001"
    h.observe(0.0010001);
    h.observe(0.1);
    h.observe(7);     // beyond every bound: +Inf only
    h.observe(-1);    // below the first bound: the first bucket, as the client library does

    assertThat(h.snapshot().buckets().size()).isEqualTo(4);
    assertThat(perBucket(h)).containsExactly(2L, 1L, 1L, 1L);
    assertThat(h.snapshot().sum()).isEqualTo(0.001 + 0.0010001 + 0.1 + 7 - 1);
  }

  @Test
  void notANumberIsIgnored() {
    BucketHistogram h = new BucketHistogram(BOUNDS);
    h.observe(Double.NaN);
    assertThat(perBucket(h)).containsOnly(0L);
    assertThat(h.snapshot().sum()).isZero();
  }

  @Test
  void aSnapshotIsACopy() {
    BucketHistogram h = new BucketHistogram(BOUNDS);
    BucketHistogram.Snapshot before = h.snapshot();
    h.observe(0.05);
    assertThat(before.buckets().getCount(2)).isZero();
    assertThat(h.snapshot().buckets().getCount(2)).isEqualTo(1);
  }
}
