package org.tunnelwatch.health;

/**
 * What one probe round saw, summed over all targets of the tunnel.
 *
 * @param atNanos monotonic time the round finished
 * @param sent probes sent
 * @param received replies that came back in time
 * @param rttSumNanos sum of the round-trip times of the replies
 * @param targetsAnswered targets from which at least one reply came back
 * @param targetsRequired targets that must answer for the round to be good (the tunnel's {@link
 *     TargetsRule})
 */
public record RoundSample(
    long atNanos, int sent, int received, long rttSumNanos, int targetsAnswered, int targetsRequired) {

  public RoundSample {
    if (sent < 0 || received < 0 || received > sent || rttSumNanos < 0) {
      throw new IllegalArgumentException(
          "inconsistent round: sent=" + sent + " received=" + received + " rttSum=" + rttSumNanos);
    }
    if (targetsAnswered < 0 || targetsRequired < 1 || (targetsAnswered > 0) != (received > 0)) {
      throw new IllegalArgumentException(
          "inconsistent round: received=" + received + " targetsAnswered=" + targetsAnswered
              + " targetsRequired=" + targetsRequired);
    }
  }

  /** A round under the default rule ({@link TargetsRule#ANY}): good when any reply came back. */
  public RoundSample(long atNanos, int sent, int received, long rttSumNanos) {
    this(atNanos, sent, received, rttSumNanos, received > 0 ? 1 : 0, 1);
  }

  /**
   * A round fails when fewer targets answered than the tunnel's rule requires; under the default
   * rule, only when nothing at all came back: one lost echo among several is loss, not an outage.
   * A round that could not send anything (for example because the source address is missing)
   * fails too.
   */
  public boolean failed() {
    return targetsAnswered < targetsRequired;
  }

  /**
   * Whether nothing at all came back. Unlike {@link #failed}, this says the path through the
   * tunnel is broken: a round in which one target answered proves the tunnel carries traffic even
   * when the rule wants more, so repairing the tunnel could not help.
   */
  public boolean silent() {
    return received == 0;
  }
}
