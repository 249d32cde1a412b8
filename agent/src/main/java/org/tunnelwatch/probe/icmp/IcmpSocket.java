package org.tunnelwatch.probe.icmp;

import java.net.InetAddress;

/**
 * One open ICMP socket, bound to a probe source address, so that every echo leaves from the
 * tunnel's LAN address and matches the IPsec policy. Its replies are those addressed to that
 * source.
 *
 * @param fd the descriptor, non-blocking
 * @param source the bound address
 * @param ipv6 ICMPv6 rather than ICMP
 * @param raw a raw socket (an IPv4 one hands over the IP header too) rather than a ping socket
 * @param identifier the echo identifier its replies carry: the engine's own on a raw socket, the
 *     one the kernel gave a ping socket
 */
record IcmpSocket(int fd, InetAddress source, boolean ipv6, boolean raw, int identifier) {

  boolean receivesIpv4Header() {
    return raw && !ipv6;
  }
}
