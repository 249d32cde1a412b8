package org.tunnelwatch.ipsec.vici;

import java.io.IOException;

/**
 * The daemon (or whatever answers on the socket) sent something that is not valid VICI: a frame
 * that is too long or cut short, an unknown packet or element type, unbalanced sections. The
 * message names the problem and where it is, in one line.
 */
public final class ViciProtocolException extends IOException {

  public ViciProtocolException(String message) {
    super(message);
  }
}
