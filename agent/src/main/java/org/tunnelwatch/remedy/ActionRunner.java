package org.tunnelwatch.remedy;

/** Carries out repair actions on the IPsec daemon. Implementations are thread-safe. */
public interface ActionRunner {

  /**
   * Runs {@code action} for {@code target}. Returns within the backend's timeout and never throws
   * for a failed action.
   */
  RemedyOutcome run(RepairTarget target, RemedyAction action);

  /** {@link #run(RepairTarget, RemedyAction)} for one tunnel. */
  default RemedyOutcome run(String ike, String child, RemedyAction action) {
    return run(RepairTarget.of(ike, child), action);
  }
}
