package org.tunnelwatch.probe.icmp;

/** The two kinds of native ICMP socket the engine can send with. */
public enum IcmpMode {
  /**
   * {@code SOCK_RAW}: needs CAP_NET_RAW. The engine picks the echo identifier and sees every
   * echo reply the host receives, so it filters by identifier.
   */
  RAW("raw ICMP sockets"),
  /**
   * {@code SOCK_DGRAM, IPPROTO_ICMP}: unprivileged, allowed for the groups in {@code
   * net.ipv4.ping_group_range}. The kernel picks the identifier and delivers only this socket's
   * replies.
   */
  PING_SOCKET("unprivileged ping sockets");

  private final String description;

  IcmpMode(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
