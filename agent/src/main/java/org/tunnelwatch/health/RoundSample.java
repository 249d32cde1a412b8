package org.tunnelwatch.health;

/**
 * What one probe round saw, summed over all targets of the tunnel.
 *
 * @param atNanos monotonic time the round finished
 * @param sent echo requests sent
 * @param received echo replies that came back in time
 * @param rttSumNanos sum of the round-trip times of the replies
 */
public record RoundSample(long atNanos, int sent, int received, long rttSumNanos) {

  public RoundSample {
    if (sent < 0 || received < 0 || received > sent || rttSumNanos < 0) {
      throw new IllegalArgumentException(
          "inconsistent round: sent=" + sent + " received=" + received + " rttSum=" + rttSumNanos);
    }
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
