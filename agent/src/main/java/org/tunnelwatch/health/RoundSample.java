package org.tunnelwatch.health;

/**
 * What one probe round saw, summed over all targets of the tunnel.
 *
 * @param atNanos monotonic time the round finished
 * @param sent echo requests sent
 * @param received echo replies that came back in time
 * @param rttSumNanos sum of the round-trip times of the replies
 * @param savedByTraffic echoes not sent because the CHILD SA's inbound traffic proved the round
 *     good (see {@link InboundTraffic}); 0 for a round of echoes
 */
public record RoundSample(long atNanos, int sent, int received, long rttSumNanos, int savedByTraffic) {

  public RoundSample {
    if (sent < 0 || received < 0 || received > sent || rttSumNanos < 0 || savedByTraffic < 0) {
      throw new IllegalArgumentException(
          "inconsistent round: sent=" + sent + " received=" + received + " rttSum=" + rttSumNanos
              + " savedByTraffic=" + savedByTraffic);
    }
  }

  /** A round of echoes. */
  public RoundSample(long atNanos, int sent, int received, long rttSumNanos) {
    this(atNanos, sent, received, rttSumNanos, 0);
  }

  /**
   * A round that sent nothing because traffic came in through the tunnel since the last one: good,
   * and neutral for loss and RTT, which only echoes measure.
   */
  public static RoundSample provenByTraffic(long atNanos, int echoesSaved) {
    return new RoundSample(atNanos, 0, 0, 0, Math.max(1, echoesSaved));
  }

  /**
   * A round fails only when nothing at all came back: one lost echo among several is loss, not
   * an outage. A round that could not send anything (for example because the source address is
   * missing) fails too; one that traffic proved does not.
   */
  public boolean failed() {
    return received == 0 && savedByTraffic == 0;
  }

  /** Whether traffic rather than echoes proved this round. */
  public boolean byTraffic() {
    return savedByTraffic > 0;
  }
}
