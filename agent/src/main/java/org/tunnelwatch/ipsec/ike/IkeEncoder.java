package org.tunnelwatch.ipsec.ike;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Lays out an IKEv2 message: the header, then payloads chained by their "next payload" bytes
 * (RFC 7296 3.1, 3.2). Bodies are given without their generic payload header.
 */
final class IkeEncoder {

  /** A payload's type and its body after the 4-byte generic header. */
  record Payload(int type, byte[] body) {}

  private IkeEncoder() {}

  static byte[] message(
      long initiatorSpi, long responderSpi, int exchange, int flags, int messageId, List<Payload> payloads) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < payloads.size(); i++) {
      Payload payload = payloads.get(i);
      int next = i + 1 < payloads.size() ? payloads.get(i + 1).type() : IkeWire.PAYLOAD_NONE;
      int length = IkeWire.PAYLOAD_HEADER_LENGTH + payload.body().length;
      body.write(next);
      body.write(0); // critical bit clear, reserved
      body.write(length >>> 8);
      body.write(length);
      body.writeBytes(payload.body());
    }
    byte[] payloadBytes = body.toByteArray();
    ByteBuffer message = ByteBuffer.allocate(IkeWire.HEADER_LENGTH + payloadBytes.length);
    message.putLong(initiatorSpi);
    message.putLong(responderSpi);
    message.put((byte) (payloads.isEmpty() ? IkeWire.PAYLOAD_NONE : payloads.get(0).type()));
    message.put((byte) IkeWire.VERSION_2_0);
    message.put((byte) exchange);
    message.put((byte) flags);
    message.putInt(messageId);
    message.putInt(message.capacity());
    message.put(payloadBytes);
    return message.array();
  }

  /** A Notify payload's body (RFC 7296 3.10) about the IKE SA: no SPI. */
  static byte[] notifyBody(int notifyType, byte[] data) {
    ByteBuffer body = ByteBuffer.allocate(4 + data.length);
    body.put((byte) 0); // protocol: zero with an empty SPI (RFC 7296 3.10)
    body.put((byte) 0); // SPI size
    body.putShort((short) notifyType);
    body.put(data);
    return body.array();
  }
}
