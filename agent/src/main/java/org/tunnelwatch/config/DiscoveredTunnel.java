package org.tunnelwatch.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A tunnel found by discovery, before the defaults are applied: what a tunnel entry of the file
 * would have said.
 *
 * @param name the tunnel's name
 * @param ike the IKE connection's name in the daemon
 * @param child the CHILD SA's name in the daemon
 * @param source the local LAN address inside the local subnet
 * @param targets hosts behind the peer
 */
public record DiscoveredTunnel(String name, String ike, String child, InetAddress source, List<InetAddress> targets) {

  public DiscoveredTunnel {
    targets = List.copyOf(targets);
  }
}
