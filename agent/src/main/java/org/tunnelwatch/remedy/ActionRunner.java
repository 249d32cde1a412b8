package org.tunnelwatch.remedy;

/** Carries out repair actions on the IPsec daemon. Implementations are thread-safe. */
public interface ActionRunner {

  /**
   * Runs {@code action} for the tunnel with IKE connection {@code ike} and CHILD SA {@code child}.
   * Returns within the backend's timeout and never throws for a failed action.
   */
  RemedyOutcome run(String ike, String child, RemedyAction action);
}
