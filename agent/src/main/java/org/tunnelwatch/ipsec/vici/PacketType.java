package org.tunnelwatch.ipsec.vici;

import java.util.Optional;

/** The VICI packet types; the first byte of every frame. */
public enum PacketType {
  /** A named request with a message. */
  CMD_REQUEST(0, true, true),
  /** The unnamed response to a request, with a message. */
  CMD_RESPONSE(1, false, true),
  /** The daemon has no such command. */
  CMD_UNKNOWN(2, false, false),
  /** A named request to receive events of that name. */
  EVENT_REGISTER(3, true, false),
  /** A named request to stop receiving events of that name. */
  EVENT_UNREGISTER(4, true, false),
  /** A (de)registration worked. */
  EVENT_CONFIRM(5, false, false),
  /** The daemon has no such event. */
  EVENT_UNKNOWN(6, false, false),
  /** A named event with a message. */
  EVENT(7, true, true);

  private final int code;
  private final boolean named;
  private final boolean hasMessage;

  PacketType(int code, boolean named, boolean hasMessage) {
    this.code = code;
    this.named = named;
    this.hasMessage = hasMessage;
  }

  int code() {
    return code;
  }

  boolean named() {
    return named;
  }

  boolean hasMessage() {
    return hasMessage;
  }

  static Optional<PacketType> of(int code) {
    for (PacketType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
