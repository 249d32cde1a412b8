package org.tunnelwatch.health;

/**
 * What one probe round saw, summed over all targets of the tunnel.
 *
 * @param atNanos monotonic time the round finished
 * @param attempted probes the round meant to send; those that could not be sent (no source
 *     address, no route, socket refused) count as lost
 * @param sent probes sent
 * @param received replies that came back in time
 * @param rttSumNanos sum of the round-trip times of the replies
 * @param targetsAnswered targets from which at least one reply came back
 * @param targetsRequired targets that must answer for the round to be good (the tunnel's {@link
 *     TargetsRule})
 * @param savedByTraffic echoes not sent because the CHILD SA's inbound traffic proved the round
 *     good (see {@link InboundTraffic}); 0 for a round of echoes
 */
public record RoundSample(
    long atNanos,
    int attempted,
    int sent,
    int received,
    long rttSumNanos,
    int targetsAnswered,
    int targetsRequired,
    int savedByTraffic) {

  public RoundSample {
    if (received < 0 || received > sent || sent > attempted || rttSumNanos < 0 || savedByTraffic < 0) {
      throw new IllegalArgumentException(
          "inconsistent round: attempted=" + attempted + " sent=" + sent + " received=" + received
              + " rttSum=" + rttSumNanos + " savedByTraffic=" + savedByTraffic);
    }
    if (targetsAnswered < 0 || targetsRequired < 1 || (targetsAnswered > 0) != (received > 0)) {
      throw new IllegalArgumentException(
          "inconsistent round: received=" + received + " targetsAnswered=" + targetsAnswered
              + " targetsRequired=" + targetsRequired);
    }
  }

  /** A round of echoes under the default rule ({@link TargetsRule#ANY}), every one of them sent. */
  public RoundSample(long atNanos, int sent, int received, long rttSumNanos) {
    this(atNanos, sent, sent, received, rttSumNanos);
  }

  /** A round of echoes under the default rule ({@link TargetsRule#ANY}). */
  public RoundSample(long atNanos, int attempted, int sent, int received, long rttSumNanos) {
    this(atNanos, attempted, sent, received, rttSumNanos, received > 0 ? 1 : 0, 1, 0);
  }

  /** A round of echoes, every one of them sent, under a rule that requires {@code targetsRequired}. */
  public RoundSample(long atNanos, int sent, int received, long rttSumNanos, int targetsAnswered, int targetsRequired) {
    this(atNanos, sent, sent, received, rttSumNanos, targetsAnswered, targetsRequired, 0);
  }

  /**
   * A round that sent nothing because traffic came in through the tunnel since the last one: good,
   * and neutral for loss and RTT, which only echoes measure.
   */
  public static RoundSample provenByTraffic(long atNanos, int echoesSaved) {
    return new RoundSample(atNanos, 0, 0, 0, 0, 0, 1, Math.max(1, echoesSaved));
  }

  /**
   * A round fails when fewer targets answered than the tunnel's rule requires; under the default
   * rule, only when nothing at all came back: one lost echo among several is loss, not an outage.
   * A round that could not send anything (for example because the source address is missing)
   * fails too; one that traffic proved does not.
   */
  public boolean failed() {
    return targetsAnswered < targetsRequired && savedByTraffic == 0;
  }

  /**
   * Whether nothing at all came back. Unlike {@link #failed}, this says the path through the
   * tunnel is broken: a round in which one target answered proves the tunnel carries traffic even
   * when the rule wants more, so repairing the tunnel could not help.
   */
  public boolean silent() {
    return received == 0 && savedByTraffic == 0;
  }

  /** Whether traffic rather than echoes proved this round. */
  public boolean byTraffic() {
    return savedByTraffic > 0;
  }
}
