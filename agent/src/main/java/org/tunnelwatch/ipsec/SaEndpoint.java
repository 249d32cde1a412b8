package org.tunnelwatch.ipsec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * One end of an IKE SA as the daemon lists it ({@code local-host}/{@code local-port},
 * {@code remote-host}/{@code remote-port}): where its IKE messages leave from and go to, which is
 * where an IKE probe of the peer must go too.
 *
 * @param address the IP address (never a host name)
 * @param port the UDP port, 500 or 4500 after a NAT-T switch (any 1..65535 is taken)
 */
public record SaEndpoint(InetAddress address, int port) {

  public SaEndpoint {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /**
   * Reads the daemon's host and port words. Empty unless both are present and well formed; a host
   * must be an IP literal, since {@link InetAddress#getByName} would resolve anything else
   * through DNS, which a parser of daemon output must never do.
   */
  public static Optional<SaEndpoint> parse(Optional<String> host, Optional<String> port) {
    if (host.isEmpty() || port.isEmpty() || !port.get().matches("\\d{1,5}")) {
      return Optional.empty();
    }
    int number = Integer.parseInt(port.get());
    if (number < 1 || number > 65535) {
      return Optional.empty();
    }
    return literal(host.get()).map(address -> new SaEndpoint(address, number));
  }

  private static Optional<InetAddress> literal(String host) {
    try {
      if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        byte[] bytes = new byte[4];
        String[] parts = host.split("\\.");
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(parts[i]);
          if (octet > 255) {
            return Optional.empty();
          }
          bytes[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(bytes));
      }
      // With a colon the JDK takes the text as an IPv6 literal and never asks DNS.
      if (host.contains(":") && host.matches("[0-9A-Fa-f:.]+")) {
        return Optional.of(InetAddress.getByName(host));
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty(); // a malformed literal
    }
  }

  @Override
  public String toString() {
    return (address.getAddress().length == 16 ? "[" + address.getHostAddress() + "]" : address.getHostAddress()) + ":" + port;
  }
}
