package org.tunnelwatch.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals. The agent never resolves names: a probe source or target that depended on
 * DNS would fail exactly when the tunnel carrying DNS is down.
 */
public final class IpAddresses {

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  private IpAddresses() {}

  /** Parses an IPv4 or IPv6 literal; anything else, host names included, is empty. */
  public static Optional<InetAddress> parseLiteral(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = !v4 && isIpv6Literal(text);
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // A literal is parsed without any lookup.
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * Why {@code address} cannot be a probe's source or target, if it cannot: the unspecified
   * address means any (Linux answers it locally), and a multicast or the broadcast address may
   * be answered by many hosts or none. A subnet's own broadcast address depends on a prefix
   * length the configuration does not have.
   */
  public static Optional<String> notOneHost(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return Optional.of("the unspecified address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    if (address instanceof Inet4Address && Arrays.equals(address.getAddress(), BROADCAST)) {
      return Optional.of("the broadcast address");
    }
    return Optional.empty();
  }

  /**
   * Strict IPv6 text (RFC 4291 section 2.2, no zone): anything that is not would make {@link
   * InetAddress#getByName} fall back to a name lookup.
   */
  static boolean isIpv6Literal(String text) {
    if (!text.contains(":") || text.contains(":::")) {
      return false;
    }
    int groups = 0;
    String rest = text;
    int lastColon = rest.lastIndexOf(':');
    if (rest.indexOf('.') >= 0) {
      // An embedded IPv4 address, as in ::ffff:192.0.2.1, stands for the last two groups.
      if (!IPV4.matcher(rest.substring(lastColon + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, lastColon + 1) + "0";
      groups++;
    }
    int compressed = rest.indexOf("::");
    if (compressed >= 0 && rest.indexOf("::", compressed + 1) >= 0) {
      return false;
    }
    String[] sides = compressed >= 0 ? new String[] {rest.substring(0, compressed), rest.substring(compressed + 2)} : new String[] {rest};
    for (String side : sides) {
      if (side.isEmpty()) {
        continue;
      }
      for (String group : side.split(":", -1)) {
        if (!HEX_GROUP.matcher(group).matches()) {
          return false;
        }
        groups++;
      }
    }
    return compressed >= 0 ? groups < 8 : groups == 8;
  }

  /**
   * The address as written in configs and labels: no host name part, no brackets, and IPv6 in
   * its short form (RFC 5952: lower case, the longest run of zero groups as {@code ::}).
   */
  public static String toText(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not shortened
    for (int i = 0; i < 8; i++) {
      int length = 0;
      while (i + length < 8 && groups[i + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
