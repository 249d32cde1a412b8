package org.tunnelwatch.probe.icmp;

/**
 * The fields of one decoded echo reply. Mutable and reused for every datagram, so that receiving
 * allocates nothing; owned by one thread.
 */
final class ReplyView {

  int identifier;
  int sequence;
  /** Bytes after the 8-byte ICMP header. */
  int payloadLength;
  /** The engine tag and echo serial, when the payload is long enough to hold them. */
  long tag;
  long serial;

  boolean hasOurPayloadShape() {
    return payloadLength == EchoCodec.PAYLOAD_BYTES;
  }

  void clear() {
    identifier = -1;
    sequence = -1;
    payloadLength = 0;
    tag = 0;
    serial = 0;
  }
}
