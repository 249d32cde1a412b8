package org.tunnelwatch.discovery;

import java.util.List;

/**
 * Where discovery finds the connections of this gateway. {@link IpsecConfSource} reads an
 * ipsec.conf; a VICI source asks charon with {@code list-conns} and maps each connection's
 * {@code local_addrs}, {@code remote_addrs} and children's {@code local-ts} / {@code remote-ts}
 * onto {@link ConnectionDescription} one to one.
 */
public interface ConnectionSource {

  /**
   * Reads the connections.
   *
   * @throws DiscoveryException when the source cannot be read at all (no such file, daemon not
   *     reachable); problems with single connections are diagnostics instead
   */
  Found read() throws DiscoveryException;

  /**
   * What a source found.
   *
   * @param connections the connections that can be watched, oriented local/remote
   * @param skipped connections that cannot be, each with the reason
   * @param diagnostics warnings about the input, with file and line where there is one
   */
  record Found(List<ConnectionDescription> connections, List<Skipped> skipped, List<Diagnostic> diagnostics) {

    public Found {
      connections = List.copyOf(connections);
      skipped = List.copyOf(skipped);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /**
   * A connection that is not turned into a tunnel.
   *
   * @param name its name
   * @param origin where it was found
   * @param reason why, in a line
   */
  record Skipped(String name, String origin, String reason) {}
}
