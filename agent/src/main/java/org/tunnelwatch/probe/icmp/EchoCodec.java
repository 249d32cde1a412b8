package org.tunnelwatch.probe.icmp;

/**
 * Encodes ICMP and ICMPv6 echo requests and decodes echo replies, on plain byte arrays: no
 * sockets, no allocation.
 *
 * <p>An echo carries a {@value #PAYLOAD_BYTES}-byte payload: the engine's random tag (8 bytes,
 * tells our echoes from anyone else's) and the echo's serial number (8 bytes, tells this echo from
 * an older one that used the same sequence number). A reply must bring both back unchanged.
 *
 * <p>What the kernel hands over differs by socket: an IPv4 raw socket gives the IP header as
 * well, an IPv4 ping socket and every ICMPv6 socket give the ICMP message alone.
 */
final class EchoCodec {

  static final int HEADER_BYTES = 8;
  static final int PAYLOAD_BYTES = 16;
  static final int REQUEST_BYTES = HEADER_BYTES + PAYLOAD_BYTES;

  static final int ECHO_REQUEST_V4 = 8;
  static final int ECHO_REPLY_V4 = 0;
  static final int ECHO_REQUEST_V6 = 128;
  static final int ECHO_REPLY_V6 = 129;

  private static final int IPV4_MIN_HEADER = 20;
  private static final int PROTOCOL_ICMP = 1;

  /** What a received datagram turned out to be. */
  enum Decoded {
    /** An echo reply; the view holds its fields. */
    ECHO_REPLY,
    /** Well-formed, but not an echo reply (a raw socket sees every ICMP message). */
    OTHER_ICMP,
    /** Too short, a bad IP header, a bad checksum: not a message at all. */
    MALFORMED
  }

  private EchoCodec() {}

  /**
   * Writes an echo request into {@code out} from offset 0 and returns its length. The IPv4
   * checksum is computed here; the kernel fills in the ICMPv6 checksum (it needs the IPv6
   * pseudo-header) and, on a ping socket, replaces the identifier with the socket's own.
   */
  static int encodeRequest(boolean ipv6, int identifier, int sequence, long tag, long serial, byte[] out) {
    out[0] = (byte) (ipv6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4);
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    putShort(out, 4, identifier);
    putShort(out, 6, sequence);
    putLong(out, 8, tag);
    putLong(out, 16, serial);
    if (!ipv6) {
      putShort(out, 2, checksum(out, 0, REQUEST_BYTES));
    }
    return REQUEST_BYTES;
  }

  /**
   * Decodes {@code length} bytes of {@code in} into {@code view}. Never throws, whatever the
   * bytes: a length beyond the array is treated as the array's length.
   *
   * @param withIpv4Header whether the datagram starts with an IPv4 header (IPv4 raw sockets)
   */
  static Decoded decode(byte[] in, int length, boolean ipv6, boolean withIpv4Header, ReplyView view) {
    view.clear();
    int end = Math.max(0, Math.min(length, in.length));
    int at = 0;
    if (withIpv4Header) {
      if (end < IPV4_MIN_HEADER || (in[0] & 0xf0) != 0x40) {
        return Decoded.MALFORMED;
      }
      int headerBytes = (in[0] & 0x0f) * 4;
      if (headerBytes < IPV4_MIN_HEADER || headerBytes > end) {
        return Decoded.MALFORMED;
      }
      if ((in[9] & 0xff) != PROTOCOL_ICMP) {
        return Decoded.MALFORMED;
      }
      at = headerBytes;
    }
    if (end - at < HEADER_BYTES) {
      return Decoded.MALFORMED;
    }
    if (!ipv6 && checksum(in, at, end - at) != 0) {
      return Decoded.MALFORMED;
    }
    int type = in[at] & 0xff;
    if (type != (ipv6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4) || in[at + 1] != 0) {
      return Decoded.OTHER_ICMP;
    }
    view.identifier = getShort(in, at + 4);
    view.sequence = getShort(in, at + 6);
    view.payloadLength = end - at - HEADER_BYTES;
    if (view.payloadLength >= PAYLOAD_BYTES) {
      view.tag = getLong(in, at + HEADER_BYTES);
      view.serial = getLong(in, at + HEADER_BYTES + 8);
    }
    return Decoded.ECHO_REPLY;
  }

  /** The Internet checksum (RFC 1071) of a range; 0 over a range that includes a correct one. */
  static int checksum(byte[] data, int offset, int length) {
    long sum = 0;
    int i = offset;
    int end = offset + length;
    for (; i + 1 < end; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (data[i] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static void putShort(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 8);
    b[at + 1] = (byte) value;
  }

  private static void putLong(byte[] b, int at, long value) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) value;
      value >>>= 8;
    }
  }

  private static int getShort(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static long getLong(byte[] b, int at) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (b[at + i] & 0xff);
    }
    return value;
  }
}
