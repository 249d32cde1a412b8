package org.tunnelwatch.ipsec;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An IKE SA with its CHILD SAs.
 *
 * @param name the IKE connection's configured name
 * @param uniqueId the daemon's id for this instance
 * @param state the daemon's state word, such as {@code ESTABLISHED} or {@code CONNECTING}
 * @param children its CHILD SAs
 * @param establishedSeconds how long it has been established (charon's {@code established});
 *     empty when it is not established or the backend does not say
 * @param local where this side's IKE messages leave from ({@code local-host}, {@code local-port});
 *     empty when the backend does not say (Libreswan's parser)
 * @param remote where the peer's IKE daemon is reached ({@code remote-host}, {@code remote-port});
 *     empty when the backend does not say
 */
public record IkeSa(
    String name,
    long uniqueId,
    String state,
    List<ChildSa> children,
    OptionalLong establishedSeconds,
    Optional<SaEndpoint> local,
    Optional<SaEndpoint> remote) {

  public IkeSa {
    children = List.copyOf(children);
  }

  /** An IKE SA without its endpoints. */
  public IkeSa(String name, long uniqueId, String state, List<ChildSa> children, OptionalLong establishedSeconds) {
    this(name, uniqueId, state, children, establishedSeconds, Optional.empty(), Optional.empty());
  }

  /** An IKE SA without its age. */
  public IkeSa(String name, long uniqueId, String state, List<ChildSa> children) {
    this(name, uniqueId, state, children, OptionalLong.empty());
  }

  public boolean established() {
    return state.equals("ESTABLISHED");
  }

  /** Being set up: charon sent IKE_SA_INIT or IKE_AUTH and waits for the peer's answer. */
  public boolean connecting() {
    return state.equals("CONNECTING");
  }

  /** The CHILD SA of that name that carries traffic: installed ones first, then the newest. */
  public Optional<ChildSa> child(String childName) {
    return children.stream()
        .filter(c -> c.name().equals(childName))
        .max(Comparator.comparing(ChildSa::installed).thenComparingLong(ChildSa::uniqueId));
  }
}
