package org.tunnelwatch.probe;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** Whether a probe source address is held by a local interface. */
public final class SourceAddresses {

  private SourceAddresses() {}

  /**
   * True when some interface of this host (in this network namespace) has {@code address}. A
   * source that no interface holds cannot send: ping fails with "Cannot assign requested
   * address".
   */
  public static boolean isLocal(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
