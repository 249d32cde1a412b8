package org.tunnelwatch.remedy;

import java.util.List;

/** Carries out repair actions on the IPsec daemon. Implementations are thread-safe. */
public interface ActionRunner {

  /**
   * Runs {@code action} for the tunnels with IKE connection {@code ike} and CHILD SAs {@code
   * children}: the first is the tunnel that asked, and the one a CHILD-level action acts on; an
   * IKE restart brings them all up again. Returns within the backend's timeout and never throws
   * for a failed action.
   */
  RemedyOutcome run(String ike, List<String> children, RemedyAction action);

  /** {@link #run(String, List, RemedyAction)} for one tunnel. */
  default RemedyOutcome run(String ike, String child, RemedyAction action) {
    return run(ike, List.of(child), action);
  }
}
