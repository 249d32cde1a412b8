package org.tunnelwatch.probe.icmp;

/** The engine cannot work in this mode here; the message says why in one line. */
public final class IcmpUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public IcmpUnavailableException(String reason) {
    super(reason);
  }
}
