package org.tunnelwatch.health;

/**
 * What one probe round saw, summed over all targets of the tunnel.
 *
 * @param atNanos monotonic time the round finished
 * @param attempted echo requests the round meant to send; those that could not be sent (no source
 *     address, no route, socket refused) count as lost
 * @param sent echo requests sent
 * @param received echo replies that came back in time
 * @param rttSumNanos sum of the round-trip times of the replies
 */
public record RoundSample(long atNanos, int attempted, int sent, int received, long rttSumNanos) {

  public RoundSample {
    if (received < 0 || received > sent || sent > attempted || rttSumNanos < 0) {
      throw new IllegalArgumentException(
          "inconsistent round: attempted=" + attempted + " sent=" + sent + " received=" + received
              + " rttSum=" + rttSumNanos);
    }
  }

  /** A round in which every echo meant to be sent was sent. */
  public RoundSample(long atNanos, int sent, int received, long rttSumNanos) {
    this(atNanos, sent, sent, received, rttSumNanos);
  }

  /**
   * A round fails only when nothing at all came back: one lost echo among several is loss, not
   * an outage. A round that could not send anything (for example because the source address is
   * missing) fails too.
   */
  public boolean failed() {
    return received == 0;
  }
}
