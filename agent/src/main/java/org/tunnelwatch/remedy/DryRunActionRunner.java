package org.tunnelwatch.remedy;

import java.time.Duration;

/** Runs nothing: every action is reported as skipped, for {@code dry-run: true}. */
public final class DryRunActionRunner implements ActionRunner {

  @Override
  public RemedyOutcome run(RepairTarget target, RemedyAction action) {
    return new RemedyOutcome(action, RemedyResult.SKIPPED, "dry-run: not carried out", Duration.ZERO);
  }
}
