package org.tunnelwatch.config;

/** Which echo engine the agent uses: the {@code probe-engine} key. */
public enum ProbeEngine implements ConfigWord {
  /** Raw sockets if allowed, else ping sockets if allowed, else the ping program. */
  AUTO,
  /** Native raw ICMP sockets (CAP_NET_RAW); the agent does not start without them. */
  RAW,
  /** Native unprivileged ping sockets ({@code net.ipv4.ping_group_range}). */
  PING_SOCKET,
  /** The {@code ping} program, one process per probe. */
  PING;
}
