package org.tunnelwatch.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.tunnelwatch.config.IpAddresses;

/**
 * An IP network such as {@code 192.168.5.0/24}; a bare address is a network of one. Immutable.
 */
record Cidr(InetAddress network, int prefixLength) {

  /** Reads {@code 192.168.5.0/24}, {@code 2001:db8::/64} or a bare address; never resolves names. */
  static Optional<Cidr> parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    Optional<InetAddress> address = IpAddresses.parseLiteral(slash < 0 ? t : t.substring(0, slash));
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bits = address.get().getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}")) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(masked(address.get(), prefix), prefix));
  }

  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == network.getAddress().length && masked(address, prefixLength).equals(network);
  }

  /** The whole address space of its family: 0.0.0.0/0 or ::/0. */
  boolean isEverything() {
    return prefixLength == 0;
  }

  /**
   * The first address a host can have: the network address plus one, or the address itself for
   * a network of one or two addresses ({@code /32}, {@code /31}, {@code /128}, {@code /127}).
   */
  InetAddress firstHost() {
    byte[] a = network.getAddress();
    if (prefixLength >= a.length * 8 - 1) {
      return network;
    }
    a[a.length - 1] = (byte) (a[a.length - 1] + 1);
    return of(a);
  }

  @Override
  public String toString() {
    return IpAddresses.toText(network) + "/" + prefixLength;
  }

  private static InetAddress masked(InetAddress address, int prefix) {
    byte[] a = address.getAddress();
    for (int i = 0; i < a.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      a[i] = (byte) (a[i] & (0xff << (8 - keep)));
    }
    return of(a);
  }

  private static InetAddress of(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
    }
  }
}
