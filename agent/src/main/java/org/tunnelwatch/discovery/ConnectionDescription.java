package org.tunnelwatch.discovery;

import java.util.List;

/**
 * One IKE connection as this gateway sees it, whatever it was read from (ipsec.conf, or VICI
 * {@code list-conns}): already oriented, local side first.
 *
 * @param name the IKE connection's name in the daemon
 * @param origin where it was found, for messages: {@code FILE:LINE}, or {@code vici}
 * @param localAddresses this gateway's addresses for it: IP literals, or {@code %defaultroute} /
 *     {@code %any} for "the address of the default-route interface"; may be empty
 * @param remoteAddresses the peer's: IP literals, names, or wildcards such as {@code %any} or
 *     {@code 0.0.0.0} when the peer's address is not known in advance
 * @param children its CHILD SAs (an ipsec.conf conn has exactly one, named like the conn)
 * @param notes short remarks for the operator, written as comments beside the tunnel
 */
public record ConnectionDescription(
    String name,
    String origin,
    List<String> localAddresses,
    List<String> remoteAddresses,
    List<ChildDescription> children,
    List<String> notes) {

  public ConnectionDescription {
    localAddresses = List.copyOf(localAddresses);
    remoteAddresses = List.copyOf(remoteAddresses);
    children = List.copyOf(children);
    notes = List.copyOf(notes);
  }

  /**
   * One CHILD SA of a connection.
   *
   * @param name the CHILD SA's name in the daemon
   * @param localTs the local traffic selectors: subnets such as {@code 192.168.1.0/24} (a VICI
   *     suffix such as {@code [tcp/80]} is allowed and ignored), or {@code dynamic} for the local
   *     address itself
   * @param remoteTs the remote traffic selectors, written the same way
   */
  public record ChildDescription(String name, List<String> localTs, List<String> remoteTs) {

    public ChildDescription {
      localTs = List.copyOf(localTs);
      remoteTs = List.copyOf(remoteTs);
    }
  }
}
