package org.tunnelwatch.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.probe.ProbeTarget;

/**
 * One watched tunnel.
 *
 * @param name the tunnel's name in metrics, logs and the status API
 * @param ike the IKE connection's name in the IPsec daemon
 * @param child the CHILD_SA's name in the IPsec daemon
 * @param source the local LAN address the probes leave from, so that they match the IPsec policy
 * @param targets hosts behind the remote gateway, and how each is probed
 * @param uplink the uplink this tunnel depends on, if any
 * @param settings probing, health and repair settings, defaults applied
 */
public record TunnelConfig(
    String name,
    String ike,
    String child,
    InetAddress source,
    List<ProbeTarget> targets,
    Optional<String> uplink,
    TunnelSettings settings) {

  public TunnelConfig {
    targets = List.copyOf(targets);
  }
}
