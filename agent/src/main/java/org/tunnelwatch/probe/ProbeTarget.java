package org.tunnelwatch.probe;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import org.tunnelwatch.config.IpAddresses;

/**
 * One target of a tunnel and how it is probed. Written as a bare address for ICMP
 * ({@code 192.168.5.1}) or as {@code tcp://ADDRESS:PORT} and {@code udp://ADDRESS:PORT} (IPv6 in
 * brackets: {@code tcp://[2001:db8::1]:443}); {@link #label} gives the same text back, which is
 * the {@code target} label of the metrics, so an ICMP target's label is its address as before.
 *
 * @param kind how it is probed
 * @param address the host
 * @param port the TCP or UDP port; 0 for ICMP
 */
public record ProbeTarget(ProbeKind kind, InetAddress address, int port) {

  public ProbeTarget {
    if ((kind == ProbeKind.ICMP) != (port == 0) || port < 0 || port > 65535) {
      throw new IllegalArgumentException(kind + " target with port " + port);
    }
  }

  public static ProbeTarget icmp(InetAddress address) {
    return new ProbeTarget(ProbeKind.ICMP, address, 0);
  }

  /** The target as the configuration writes it. */
  public String label() {
    String host = IpAddresses.toText(address);
    if (kind == ProbeKind.ICMP) {
      return host;
    }
    String bracketed = address instanceof Inet6Address ? "[" + host + "]" : host;
    return kind.name().toLowerCase(Locale.ROOT) + "://" + bracketed + ":" + port;
  }

  @Override
  public String toString() {
    return label();
  }
}
