package org.tunnelwatch.health;

/**
 * How many of a tunnel's targets must answer for a round to count as good: {@code any} (one is
 * enough, the default), {@code all}, or {@code at-least: N}. A target answers when at least one of
 * its probes in the round came back. Immutable.
 *
 * @param atLeast the targets that must answer; {@link #ALL_TARGETS} for every target
 */
public record TargetsRule(int atLeast) {

  /** Marks the rule that every target must answer, however many there are. */
  public static final int ALL_TARGETS = Integer.MAX_VALUE;

  public static final TargetsRule ANY = new TargetsRule(1);
  public static final TargetsRule ALL = new TargetsRule(ALL_TARGETS);

  public TargetsRule {
    if (atLeast < 1) {
      throw new IllegalArgumentException("at least one target must answer, found " + atLeast);
    }
  }

  public static TargetsRule atLeast(int n) {
    return new TargetsRule(n);
  }

  /** How many of {@code targets} targets must answer. */
  public int required(int targets) {
    return atLeast == ALL_TARGETS ? targets : atLeast;
  }

  /** The rule as the configuration writes it: {@code any}, {@code all} or {@code at-least: N}. */
  @Override
  public String toString() {
    if (atLeast == ALL_TARGETS) {
      return "all";
    }
    return atLeast == 1 ? "any" : "at-least: " + atLeast;
  }
}
