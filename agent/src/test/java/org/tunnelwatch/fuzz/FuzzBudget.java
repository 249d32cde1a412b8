package org.tunnelwatch.fuzz;

/**
 * How long one fuzz target runs under {@code JAZZER_FUZZ=1} (docs/reliability.md has the command),
 * and how long one input may take before Jazzer calls it a hang. Under plain {@code mvn test} the
 * targets only replay their corpus and neither applies but the per-input limit.
 */
public final class FuzzBudget {

  /** A fuzzing run of one target. */
  public static final String RUN = "10m";

  /** One input, in seconds: every parser here answers in milliseconds; more is a hang. */
  public static final long INPUT_SECONDS = 10;

  private FuzzBudget() {}
}
