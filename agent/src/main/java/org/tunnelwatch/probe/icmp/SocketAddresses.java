package org.tunnelwatch.probe.icmp;

import java.net.Inet6Address;
import java.net.InetAddress;

/** {@code struct sockaddr_in} and {@code sockaddr_in6} as bytes. Pure. */
final class SocketAddresses {

  static final int IPV4_LENGTH = 16;
  static final int IPV6_LENGTH = 28;
  static final int MAX_LENGTH = 128;

  private SocketAddresses() {}

  /** Writes the address (port 0) into {@code out} and returns the sockaddr length. */
  static int encode(InetAddress address, byte[] out) {
    byte[] raw = address.getAddress();
    int scope = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    return encode(raw, raw.length, scope, out);
  }

  /** Writes an address given as its 4 or 16 bytes; {@code scope} is the IPv6 interface index. */
  static int encode(byte[] raw, int rawLength, int scope, byte[] out) {
    java.util.Arrays.fill(out, 0, rawLength == 4 ? IPV4_LENGTH : IPV6_LENGTH, (byte) 0);
    // sa_family is in host byte order: little-endian on every platform the engine runs on.
    int family = rawLength == 4 ? LinuxSockets.AF_INET : LinuxSockets.AF_INET6;
    out[0] = (byte) family;
    out[1] = (byte) (family >>> 8);
    if (rawLength == 4) {
      System.arraycopy(raw, 0, out, 4, 4);
      return IPV4_LENGTH;
    }
    System.arraycopy(raw, 0, out, 8, 16);
    out[24] = (byte) scope;
    out[25] = (byte) (scope >>> 8);
    out[26] = (byte) (scope >>> 16);
    out[27] = (byte) (scope >>> 24);
    return IPV6_LENGTH;
  }

  /** Where the address bytes start in a sockaddr of this family. */
  static int addressOffset(boolean ipv6) {
    return ipv6 ? 8 : 4;
  }

  /** The port of a sockaddr (network byte order): a ping socket's echo identifier. */
  static int port(byte[] sockaddr) {
    return ((sockaddr[2] & 0xff) << 8) | (sockaddr[3] & 0xff);
  }
}
