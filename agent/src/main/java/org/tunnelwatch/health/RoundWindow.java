package org.tunnelwatch.health;

import java.time.Duration;
import java.util.Arrays;

/**
 * The rounds of the last {@code span}, for loss ratio and mean RTT. Immutable: adding a round
 * returns a new window. Windows hold at most span/interval rounds, a few dozen, so copying is
 * cheaper than sharing mutable state between the probing thread and readers.
 *
 * <p>The rounds are kept as parallel arrays of primitives, not as a list of samples: a hub
 * judges a thousand tunnels a second, and each round walked its window's sample objects, each
 * one a cache miss (measured: docs/benchmarks.md). The arrays are copied in one piece.
 */
public final class RoundWindow {

  private static final RoundWindow EMPTY = new RoundWindow(new long[0], new int[0], new int[0], new long[0]);

  /**
   * Per round, oldest first: when it finished, echoes attempted (sent or not: one that could not
   * be sent is lost all the same) and answered, RTT sum.
   */
  private final long[] atNanos;
  private final int[] attempted;
  private final int[] received;
  private final long[] rttSumNanos;
  private final long attemptedTotal;
  private final long receivedTotal;
  private final long rttTotalNanos;

  private RoundWindow(long[] atNanos, int[] attempted, int[] received, long[] rttSumNanos) {
    this.atNanos = atNanos;
    this.attempted = attempted;
    this.received = received;
    this.rttSumNanos = rttSumNanos;
    long a = 0;
    long r = 0;
    long rtt = 0;
    for (int i = 0; i < atNanos.length; i++) {
      a += attempted[i];
      r += received[i];
      rtt += rttSumNanos[i];
    }
    this.attemptedTotal = a;
    this.receivedTotal = r;
    this.rttTotalNanos = rtt;
  }

  public static RoundWindow empty() {
    return EMPTY;
  }

  /** This window plus {@code sample}, less the rounds older than {@code span} before it. */
  RoundWindow plus(RoundSample sample, Duration span) {
    long oldest = sample.atNanos() - span.toNanos();
    int kept = 0;
    for (long at : atNanos) {
      if (at > oldest) {
        kept++;
      }
    }
    long[] newAt = new long[kept + 1];
    int[] newAttempted = new int[kept + 1];
    int[] newReceived = new int[kept + 1];
    long[] newRtt = new long[kept + 1];
    int n = 0;
    for (int i = 0; i < atNanos.length; i++) {
      if (atNanos[i] > oldest) {
        newAt[n] = atNanos[i];
        newAttempted[n] = attempted[i];
        newReceived[n] = received[i];
        newRtt[n] = rttSumNanos[i];
        n++;
      }
    }
    newAt[n] = sample.atNanos();
    newAttempted[n] = sample.attempted();
    newReceived[n] = sample.received();
    newRtt[n] = sample.rttSumNanos();
    return new RoundWindow(newAt, newAttempted, newReceived, newRtt);
  }

  /** Only the last {@code count} rounds. */
  RoundWindow lastRounds(int count) {
    int from = Math.max(0, atNanos.length - count);
    int to = atNanos.length;
    return new RoundWindow(
        Arrays.copyOfRange(atNanos, from, to),
        Arrays.copyOfRange(attempted, from, to),
        Arrays.copyOfRange(received, from, to),
        Arrays.copyOfRange(rttSumNanos, from, to));
  }

  /**
   * Share of the echoes attempted over the window that got no reply, whether they were lost on
   * the way or could not be sent; NaN when none was attempted (nothing is known).
   */
  public double lossRatio() {
    return attemptedTotal == 0 ? Double.NaN : (double) (attemptedTotal - receivedTotal) / attemptedTotal;
  }

  /**
   * Mean round-trip time of the replies over the window; zero when there were none, which callers
   * must tell apart with {@link #hasReplies()} (see {@link #meanRttSeconds()}).
   */
  public Duration meanRtt() {
    return receivedTotal == 0 ? Duration.ZERO : Duration.ofNanos(rttTotalNanos / receivedTotal);
  }

  /** Mean round-trip time of the replies over the window in seconds, NaN when there were none. */
  public double meanRttSeconds() {
    return receivedTotal == 0 ? Double.NaN : meanRtt().toNanos() / 1e9;
  }

  /** Whether any reply came back in the window, so that {@link #meanRtt()} means something. */
  public boolean hasReplies() {
    return receivedTotal > 0;
  }

  public int rounds() {
    return atNanos.length;
  }
}
