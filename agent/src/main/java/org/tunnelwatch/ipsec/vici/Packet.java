package org.tunnelwatch.ipsec.vici;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.util.Objects;

/**
 * One VICI packet: its type, its name (for named types, else empty) and its message (empty for
 * types without one). Immutable.
 *
 * @param type the packet type
 * @param name the command or event name; empty for unnamed types
 * @param message the message; empty for types that carry none
 */
public record Packet(PacketType type, String name, ViciMessage message) {

  public Packet {
    Objects.requireNonNull(type);
    Objects.requireNonNull(name);
    Objects.requireNonNull(message);
    if (!type.named() && !name.isEmpty()) {
      throw new IllegalArgumentException(type + " packets have no name");
    }
    if (!type.hasMessage() && !message.isEmpty()) {
      throw new IllegalArgumentException(type + " packets carry no message");
    }
  }

  public static Packet request(String command, ViciMessage message) {
    return new Packet(PacketType.CMD_REQUEST, command, message);
  }

  public static Packet register(String event) {
    return new Packet(PacketType.EVENT_REGISTER, event, ViciMessage.empty());
  }

  public static Packet unregister(String event) {
    return new Packet(PacketType.EVENT_UNREGISTER, event, ViciMessage.empty());
  }

  /** The packet as a frame payload (without the 4-byte length). */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type.code());
    if (type.named()) {
      ViciCodec.writeName(name, out);
    }
    if (type.hasMessage()) {
      ViciCodec.encodeInto(message, out);
    }
    return out.toByteArray();
  }

  /** Reads a frame payload; anything that is not a valid packet gives a one-line error. */
  public static Packet decode(byte[] payload) throws ViciProtocolException {
    return decode(payload, ViciBudget.onePacket());
  }

  /** As {@link #decode(byte[])}, taking the message's elements from {@code budget}. */
  static Packet decode(byte[] payload, ViciBudget budget) throws ViciProtocolException {
    if (payload.length == 0) {
      throw new ViciProtocolException("empty VICI packet (no type byte)");
    }
    int code = payload[0] & 0xFF;
    PacketType type =
        PacketType.of(code).orElseThrow(() -> new ViciProtocolException("unknown VICI packet type " + code));
    int pos = 1;
    String name = "";
    if (type.named()) {
      if (payload.length < 2) {
        throw new ViciProtocolException(type + " packet cut short before its name");
      }
      int length = payload[1] & 0xFF;
      if (length > payload.length - 2) {
        throw new ViciProtocolException(type + " packet name of " + length + " bytes runs past the end of the packet");
      }
      try {
        name = ViciCodec.strictUtf8(payload, 2, length);
      } catch (CharacterCodingException e) {
        throw new ViciProtocolException(type + " packet name is not UTF-8");
      }
      pos = 2 + length;
    }
    ViciMessage message = ViciMessage.empty();
    if (type.hasMessage()) {
      message = ViciCodec.decode(payload, pos, payload.length, budget);
    } else if (pos != payload.length) {
      throw new ViciProtocolException(type + " packet has " + (payload.length - pos) + " unexpected bytes after it");
    }
    return new Packet(type, name, message);
  }
}
