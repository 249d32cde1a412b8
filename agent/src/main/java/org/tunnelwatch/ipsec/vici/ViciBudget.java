package org.tunnelwatch.ipsec.vici;

import org.tunnelwatch.input.InputLimits;

/**
 * What one reply from charon may still take: bytes of frames and decoded elements, from {@link
 * InputLimits}. A streamed command's reply is many packets (one per IKE SA for {@code list-sas}),
 * each within the frame limit, so only a budget over all of them bounds the memory they hold
 * together. Each packet counts as an element too, so that a flood of empty events is bounded as
 * well. Not thread-safe: one per reply.
 */
final class ViciBudget {

  private final String what;
  private long bytesLeft = InputLimits.VICI_REPLY_BYTES;
  private int elementsLeft = InputLimits.VICI_REPLY_ELEMENTS;

  /** @param what the reply, for messages: {@code the reply to list-sas} */
  ViciBudget(String what) {
    this.what = what;
  }

  /** A budget for one packet on its own (an event on the event stream). */
  static ViciBudget onePacket() {
    return new ViciBudget("a VICI packet");
  }

  /** Takes a frame of {@code length} bytes, before it is allocated. */
  void frame(int length) throws ViciProtocolException {
    bytesLeft -= length;
    if (bytesLeft < 0) {
      throw new ViciProtocolException(what + " is larger than " + InputLimits.describe(InputLimits.VICI_REPLY_BYTES) + ", not read");
    }
    element();
  }

  /** Takes one element (or packet). */
  void element() throws ViciProtocolException {
    if (--elementsLeft < 0) {
      throw new ViciProtocolException(what + " holds more than " + InputLimits.VICI_REPLY_ELEMENTS + " elements, not read");
    }
  }
}
