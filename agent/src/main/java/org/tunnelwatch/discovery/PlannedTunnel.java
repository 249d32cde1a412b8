package org.tunnelwatch.discovery;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A tunnel that discovery proposes to watch: one CHILD SA of one connection.
 *
 * @param name the tunnel's name: the connection's, or {@code CONN-CHILD} when the connection
 *     has several children
 * @param ike the IKE connection's name in the daemon
 * @param child the CHILD SA's name in the daemon
 * @param source the address of this host inside the local selector; empty when there is none,
 *     and then {@code todo} says what to fill in
 * @param targets the first host of the remote selector
 * @param origin where the connection was found
 * @param notes remarks for the operator
 * @param todo what the operator must fill in before the tunnel can be used
 */
public record PlannedTunnel(
    String name,
    String ike,
    String child,
    Optional<InetAddress> source,
    List<InetAddress> targets,
    String origin,
    List<String> notes,
    Optional<String> todo) {

  public PlannedTunnel {
    targets = List.copyOf(targets);
    notes = List.copyOf(notes);
  }

  /** Whether the tunnel is complete and goes into the configuration as it is. */
  public boolean ready() {
    return todo.isEmpty();
  }
}
