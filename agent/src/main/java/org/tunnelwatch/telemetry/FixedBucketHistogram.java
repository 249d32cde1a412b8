package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.time.Duration;

/**
 * A histogram of durations over fixed bucket bounds, with its count, sum and {@link DecayingMax}:
 * what a Micrometer timer with service-level objectives exports to Prometheus, in a few arrays.
 * A value counts in the first bucket whose bound is at least the value ({@code le}), values
 * beyond the last bound only in {@code +Inf}. Durations are kept in nanoseconds, as Micrometer
 * keeps them, so that the exported sums and bounds are the same doubles.
 *
 * <p>Why not Micrometer: each of its timers is a {@code TimeWindowFixedBoundaryHistogram}, a
 * {@code TimeWindowMax}, adders and a registry entry; at a thousand tunnels the agent's timers
 * were a large part of the heap and of the CPU of each round (measured: docs/benchmarks.md).
 *
 * <p>Not thread-safe: the owner calls it under its own lock; {@link #buckets} copies.
 */
final class FixedBucketHistogram {

  /** Bounds of the buckets, in nanoseconds, shared by every histogram of a family. */
  static final class Bounds {
    private final long[] nanos;
    private final double[] seconds;

    Bounds(Duration... bounds) {
      this.nanos = new long[bounds.length];
      this.seconds = new double[bounds.length + 1];
      for (int i = 0; i < bounds.length; i++) {
        nanos[i] = bounds[i].toNanos();
        if (i > 0 && nanos[i] <= nanos[i - 1]) {
          throw new IllegalArgumentException("bucket bounds must increase");
        }
        seconds[i] = nanos[i] / 1e9;
      }
      seconds[bounds.length] = Double.POSITIVE_INFINITY;
    }

    /** The index of the bucket that counts {@code valueNanos}; the last is {@code +Inf}. */
    int bucketOf(long valueNanos) {
      int low = 0;
      int high = nanos.length;
      while (low < high) { // first bound >= value
        int mid = (low + high) >>> 1;
        if (nanos[mid] < valueNanos) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    int buckets() {
      return seconds.length;
    }
  }

  private final Bounds bounds;
  /** Per bucket, not cumulative; the last is {@code +Inf}. */
  private final long[] counts;
  private long count;
  private long sumNanos;
  private final DecayingMax max;

  FixedBucketHistogram(Bounds bounds, DecayingMax max) {
    this.bounds = bounds;
    this.counts = new long[bounds.buckets()];
    this.max = max;
  }

  /** Records a duration; a negative one is ignored, as Micrometer's timers ignore it. */
  void record(long nanos, long nowMillis) {
    if (nanos < 0) {
      return;
    }
    counts[bounds.bucketOf(nanos)]++;
    count++;
    sumNanos += nanos;
    max.record(nanos, nowMillis);
  }

  long count() {
    return count;
  }

  double sumSeconds() {
    return sumNanos / 1e9;
  }

  double maxSeconds(long nowMillis) {
    return max.max(nowMillis) / 1e9;
  }

  /** A copy of the buckets, as the Prometheus model wants them (not cumulative, with +Inf). */
  ClassicHistogramBuckets buckets() {
    return ClassicHistogramBuckets.of(bounds.seconds.clone(), counts.clone());
  }
}
