package org.tunnelwatch.probe;

import java.net.InetAddress;
import java.time.Duration;

/**
 * One target's share of a probe round.
 *
 * @param source the local address the probes leave from (the tunnel's LAN address)
 * @param target the host behind the remote gateway
 * @param count how many probes (echoes, connects or datagrams) to send
 * @param spacing time between two probes
 * @param timeout how long to wait for each answer
 * @param kind how the target is probed
 * @param port the TCP or UDP port; 0 for ICMP
 */
public record EchoRequest(
    InetAddress source, InetAddress target, int count, Duration spacing, Duration timeout, ProbeKind kind, int port) {

  /** An ICMP echo request. */
  public EchoRequest(InetAddress source, InetAddress target, int count, Duration spacing, Duration timeout) {
    this(source, target, count, spacing, timeout, ProbeKind.ICMP, 0);
  }

  /** A request for {@code target}, however it is probed. */
  public EchoRequest(InetAddress source, ProbeTarget target, int count, Duration spacing, Duration timeout) {
    this(source, target.address(), count, spacing, timeout, target.kind(), target.port());
  }

  /** The longest a correct prober may take for this request: the last probe plus its timeout. */
  public Duration budget() {
    return spacing.multipliedBy(Math.max(0, count - 1)).plus(timeout);
  }
}
