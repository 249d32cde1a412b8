package org.tunnelwatch.hooks;

import java.util.Locale;

/** How one run of a hook ended; the {@code result} label of {@code tunnelwatch_hook_runs_total}. */
public enum HookResult {
  /** Exit status 0. */
  OK,
  /** Another exit status, or the program could not be started. */
  FAILED,
  /** Killed, with everything it started, at the hook's timeout. */
  TIMEOUT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
