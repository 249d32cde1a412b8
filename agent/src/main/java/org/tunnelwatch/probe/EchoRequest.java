package org.tunnelwatch.probe;

import java.net.InetAddress;
import java.time.Duration;

/**
 * One target's share of a probe round.
 *
 * @param source the local address the echoes leave from (the tunnel's LAN address)
 * @param target the host behind the remote gateway
 * @param count how many echoes to send
 * @param spacing time between two echoes
 * @param timeout how long to wait for each reply
 */
public record EchoRequest(
    InetAddress source, InetAddress target, int count, Duration spacing, Duration timeout) {

  /** The longest a correct prober may take for this request: the last echo plus its timeout. */
  public Duration budget() {
    return spacing.multipliedBy(Math.max(0, count - 1)).plus(timeout);
  }
}
