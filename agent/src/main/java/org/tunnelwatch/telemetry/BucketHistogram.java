package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

/**
 * One series of a classic histogram: a count per bucket and the sum, in a plain array. A value
 * counts in the first bucket whose upper bound is at least the value ({@code le}); the last
 * bucket is {@code +Inf}. Thread-safe: a round records while a scrape copies.
 *
 * <p>Why not the client library's {@code Histogram}: its series keep an adder per bucket and a
 * buffer for consistent scrapes; at 1,000 tunnels that cost measurably more memory and CPU than
 * this array (lab/bench-probe, docs/benchmarks.md).
 */
final class BucketHistogram {

  private final double[] upperBounds;
  /** Per bucket, not cumulative; the last is {@code +Inf}. */
  private final long[] counts;
  private double sum;

  /** @param upperBounds the buckets' bounds, increasing, ending with {@code +Inf}; shared, never written */
  BucketHistogram(double[] upperBounds) {
    this.upperBounds = upperBounds;
    this.counts = new long[upperBounds.length];
  }

  /** Records {@code value}; NaN is ignored, as the client library ignores it. */
  synchronized void observe(double value) {
    if (Double.isNaN(value)) {
      return;
    }
    counts[bucketOf(value)]++;
    sum += value;
  }

  private int bucketOf(double value) {
    int low = 0;
    int high = upperBounds.length - 1; // +Inf takes whatever no bound does
    while (low < high) { // the first bound >= value
      int mid = (low + high) >>> 1;
      if (upperBounds[mid] < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** A copy, as the exposition model wants it. */
  synchronized Snapshot snapshot() {
    return new Snapshot(ClassicHistogramBuckets.of(upperBounds, counts.clone()), sum);
  }

  /** Copies the counts per bucket into {@code into} (as long as the bounds); returns the sum. */
  synchronized double copyInto(long[] into) {
    System.arraycopy(counts, 0, into, 0, counts.length);
    return sum;
  }

  record Snapshot(ClassicHistogramBuckets buckets, double sum) {}
}
