package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.List;

/** Runs nothing: every action is reported as skipped, for {@code dry-run: true}. */
public final class DryRunActionRunner implements ActionRunner {

  @Override
  public RemedyOutcome run(String ike, List<String> children, RemedyAction action) {
    return new RemedyOutcome(action, RemedyResult.SKIPPED, "dry-run: not carried out", Duration.ZERO);
  }
}
