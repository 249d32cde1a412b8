package org.tunnelwatch.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rounds of the last {@code span}, for loss ratio and mean RTT. Immutable: adding a round
 * returns a new window. Windows hold at most span/interval rounds, a few dozen, so copying is
 * cheaper than sharing mutable state between the probing thread and readers.
 */
public final class RoundWindow {

  private static final RoundWindow EMPTY = new RoundWindow(List.of());

  private final List<RoundSample> samples;
  private final long sent;
  private final long received;
  private final long rttSumNanos;

  private RoundWindow(List<RoundSample> samples) {
    this.samples = samples;
    long s = 0;
    long r = 0;
    long rtt = 0;
    for (RoundSample sample : samples) {
      s += sample.sent();
      r += sample.received();
      rtt += sample.rttSumNanos();
    }
    this.sent = s;
    this.received = r;
    this.rttSumNanos = rtt;
  }

  public static RoundWindow empty() {
    return EMPTY;
  }

  /** This window plus {@code sample}, less the rounds older than {@code span} before it. */
  RoundWindow plus(RoundSample sample, Duration span) {
    long oldest = sample.atNanos() - span.toNanos();
    List<RoundSample> kept = new ArrayList<>(samples.size() + 1);
    for (RoundSample s : samples) {
      if (s.atNanos() > oldest) {
        kept.add(s);
      }
    }
    kept.add(sample);
    return new RoundWindow(List.copyOf(kept));
  }

  /** Only the last {@code count} rounds. */
  RoundWindow lastRounds(int count) {
    int from = Math.max(0, samples.size() - count);
    return new RoundWindow(List.copyOf(samples.subList(from, samples.size())));
  }

  /** Share of echoes lost over the window, 0 when nothing was sent. */
  public double lossRatio() {
    return sent == 0 ? 0.0 : (double) (sent - received) / sent;
  }

  /** Mean round-trip time of the replies over the window; zero when there were none. */
  public Duration meanRtt() {
    return received == 0 ? Duration.ZERO : Duration.ofNanos(rttSumNanos / received);
  }

  /** Whether any reply came back in the window, so that {@link #meanRtt()} means something. */
  public boolean hasReplies() {
    return received > 0;
  }

  public int rounds() {
    return samples.size();
  }
}
