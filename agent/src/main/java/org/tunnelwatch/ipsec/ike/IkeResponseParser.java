package org.tunnelwatch.ipsec.ike;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a datagram as the answer to our IKE_SA_INIT, or says why it is not one. Only an IKEv2
 * response to IKE_SA_INIT (message ID 0) with our initiator SPI counts: anything else that
 * reaches the socket (a late answer to an earlier probe, a stray, an ESP packet) must never pass
 * for a live peer. Never throws: malformed input is not an answer.
 */
public final class IkeResponseParser {

  private IkeResponseParser() {}

  /**
   * @param datagram the IKE message (non-ESP marker already removed); read from its position to
   *     its limit, which are left as they were
   * @param initiatorSpi the SPI of our request
   */
  public static IkeReply parse(ByteBuffer datagram, long initiatorSpi) {
    ByteBuffer in = datagram.slice();
    int size = in.remaining();
    if (size < IkeWire.HEADER_LENGTH) {
      return new IkeReply.NotAnAnswer("shorter than an IKE header: " + size + " bytes");
    }
    if (in.getLong(0) != initiatorSpi) {
      return new IkeReply.NotAnAnswer("another initiator SPI: " + Long.toHexString(in.getLong(0)));
    }
    int version = in.get(17) & 0xff;
    if (version >>> 4 != 2) {
      return new IkeReply.NotAnAnswer("not IKEv2: version byte 0x" + Integer.toHexString(version));
    }
    int exchange = in.get(18) & 0xff;
    if (exchange != IkeWire.EXCHANGE_IKE_SA_INIT) {
      return new IkeReply.NotAnAnswer("exchange " + exchange + ", not IKE_SA_INIT");
    }
    if ((in.get(19) & IkeWire.FLAG_RESPONSE) == 0) {
      return new IkeReply.NotAnAnswer("a request, not a response");
    }
    int messageId = in.getInt(20);
    if (messageId != 0) {
      return new IkeReply.NotAnAnswer("message ID " + Integer.toUnsignedString(messageId) + ", not 0");
    }
    long length = Integer.toUnsignedLong(in.getInt(24));
    if (length < IkeWire.HEADER_LENGTH || length > size) {
      return new IkeReply.NotAnAnswer("length field " + length + " does not fit the " + size + "-byte datagram");
    }
    return payloads(in, (int) length, in.get(16) & 0xff);
  }

  private static IkeReply payloads(ByteBuffer in, int end, int firstType) {
    List<Integer> notifies = new ArrayList<>();
    boolean sa = false;
    int type = firstType;
    int at = IkeWire.HEADER_LENGTH;
    // Each payload is at least 4 bytes long, so this walk ends within end/4 steps.
    while (type != IkeWire.PAYLOAD_NONE) {
      if (at + IkeWire.PAYLOAD_HEADER_LENGTH > end) {
        return new IkeReply.NotAnAnswer("payload " + type + " cut off at byte " + at);
      }
      int payloadLength = in.getShort(at + 2) & 0xffff;
      if (payloadLength < IkeWire.PAYLOAD_HEADER_LENGTH || at + payloadLength > end) {
        return new IkeReply.NotAnAnswer("payload " + type + " has a bad length " + payloadLength + " at byte " + at);
      }
      if (type == IkeWire.PAYLOAD_NOTIFY) {
        if (payloadLength < 8) {
          return new IkeReply.NotAnAnswer("notify payload too short: " + payloadLength + " bytes");
        }
        notifies.add(in.getShort(at + 6) & 0xffff);
      } else if (type == IkeWire.PAYLOAD_SA) {
        sa = true;
      }
      type = in.get(at) & 0xff;
      at += payloadLength;
    }
    return new IkeReply.Answer(gist(notifies, sa), notifies, sa);
  }

  private static String gist(List<Integer> notifies, boolean sa) {
    for (int type : notifies) {
      if (type < IkeWire.FIRST_STATUS_NOTIFY) {
        return NotifyNames.name(type);
      }
    }
    if (notifies.contains(NotifyNames.COOKIE)) {
      return "COOKIE";
    }
    if (sa) {
      return "SA";
    }
    if (notifies.isEmpty()) {
      return "EMPTY";
    }
    return notifies.stream().map(NotifyNames::name).collect(Collectors.joining(","));
  }
}
