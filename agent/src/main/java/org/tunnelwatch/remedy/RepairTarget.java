package org.tunnelwatch.remedy;

import java.util.List;
import java.util.Optional;

/**
 * What an action is for.
 *
 * @param ike the IKE connection's name
 * @param children the CHILD SAs: the first is the tunnel that asked, and the one a CHILD-level
 *     action acts on; an IKE restart brings them all up again
 * @param siblingAlive whether another tunnel the agent watches on the same IKE SA carries traffic
 *     (empty when it watches no other): the evidence that the IKE SA is alive
 */
public record RepairTarget(String ike, List<String> children, Optional<Boolean> siblingAlive) {

  public RepairTarget {
    children = List.copyOf(children);
    if (children.isEmpty()) {
      throw new IllegalArgumentException("an action is for at least one CHILD SA");
    }
  }

  /** One tunnel, with nothing known of its siblings. */
  public static RepairTarget of(String ike, String child) {
    return new RepairTarget(ike, List.of(child), Optional.empty());
  }

  public String child() {
    return children.get(0);
  }
}
