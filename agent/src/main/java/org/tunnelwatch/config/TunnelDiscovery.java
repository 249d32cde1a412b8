package org.tunnelwatch.config;

import java.util.List;

/**
 * Finds the tunnels for {@code tunnels: auto}, each time a configuration is loaded (at start and
 * on every reload). The configuration package only defines this; the implementation, which reads
 * files and interfaces, lives in {@code org.tunnelwatch.discovery}.
 */
public interface TunnelDiscovery {

  /**
   * The tunnels to watch, complete ones only.
   *
   * @throws Failed when nothing could be read; the message is one line
   */
  List<DiscoveredTunnel> discover(DiscoverySettings settings) throws Failed;

  /** For loaders that have no discovery: {@code tunnels: auto} is then a problem of the file. */
  static TunnelDiscovery unavailable() {
    return settings -> {
      throw new Failed("tunnel discovery is not available to this command");
    };
  }

  /** Discovery could not read its input. */
  final class Failed extends Exception {
    public Failed(String message) {
      super(message);
    }
  }
}
