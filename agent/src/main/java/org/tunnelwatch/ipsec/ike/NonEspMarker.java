package org.tunnelwatch.ipsec.ike;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The four zero bytes that precede IKE messages on UDP port 4500 (RFC 3948 2.2): there, ESP and
 * IKE share the port, and an ESP packet starts with its non-zero SPI, so a zero word says "IKE".
 * A probe of a peer's 4500 port must carry it, or the peer takes the request for ESP.
 */
public final class NonEspMarker {

  public static final int LENGTH = 4;

  private NonEspMarker() {}

  /** The IKE port that needs the marker. */
  public static boolean usedOn(int port) {
    return port == 4500;
  }

  public static byte[] prepend(byte[] ikeMessage) {
    byte[] out = new byte[LENGTH + ikeMessage.length];
    System.arraycopy(ikeMessage, 0, out, LENGTH, ikeMessage.length);
    return out;
  }

  /**
   * The IKE message after the marker; empty when the datagram is too short or starts with an SPI
   * (ESP, or a keepalive's single 0xff byte).
   */
  public static Optional<ByteBuffer> strip(ByteBuffer datagram) {
    if (datagram.remaining() < LENGTH || datagram.getInt(datagram.position()) != 0) {
      return Optional.empty();
    }
    ByteBuffer ike = datagram.slice();
    ike.position(LENGTH);
    return Optional.of(ike.slice());
  }
}
