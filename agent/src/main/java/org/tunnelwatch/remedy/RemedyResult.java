package org.tunnelwatch.remedy;

import java.util.Locale;

/** How an action ended; the {@code result} label of the remediation counter. */
public enum RemedyResult {
  SUCCESS,
  FAILURE,
  /** Not carried out: over the hourly limit, or dry-run. */
  SKIPPED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
