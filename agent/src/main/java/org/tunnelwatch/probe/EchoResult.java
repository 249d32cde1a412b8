package org.tunnelwatch.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What an echo probe of one target saw.
 *
 * @param target the probed host
 * @param sent echoes sent
 * @param rtts round-trip times of the replies that came back in time, one per reply
 * @param status the summary
 * @param detail why, when the status is {@link EchoStatus#ERROR}; empty otherwise
 */
public record EchoResult(
    InetAddress target, int sent, List<Duration> rtts, EchoStatus status, String detail) {

  public EchoResult {
    rtts = List.copyOf(rtts);
  }

  public int received() {
    return rtts.size();
  }

  public static EchoResult error(InetAddress target, String detail) {
    return new EchoResult(target, 0, List.of(), EchoStatus.ERROR, detail);
  }

  /** A result from counts: success with any reply, timeout without. */
  public static EchoResult of(InetAddress target, int sent, List<Duration> rtts) {
    return new EchoResult(target, sent, rtts, rtts.isEmpty() ? EchoStatus.TIMEOUT : EchoStatus.SUCCESS, "");
  }
}
