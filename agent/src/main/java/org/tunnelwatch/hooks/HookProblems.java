package org.tunnelwatch.hooks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a hook's trouble once per change, not per run: the first failure, a different failure,
 * the recovery, and the start of a run of dropped events. A hook that fails at every state
 * change of a flapping tunnel says so once; the counters give the rest. Thread-safe.
 */
final class HookProblems {

  private static final Logger log = LoggerFactory.getLogger(HookProblems.class);

  /** Per hook, what its last run's trouble was (absent: it worked). */
  private final Map<String, String> failing = new HashMap<>();
  private final Set<String> dropping = new HashSet<>();

  /**
   * @param kind what went wrong, without the changing parts (the exit status, "timeout"): a
   *     change of kind is logged again
   * @param summary the line to log
   */
  synchronized void ran(String hook, HookResult result, String kind, String summary) {
    if (result == HookResult.OK) {
      if (failing.remove(hook) != null) {
        log.info("hook {} works again", hook);
      }
      return;
    }
    String before = failing.put(hook, kind);
    if (!kind.equals(before)) {
      log.warn("hook {} failed: {} (said again only when this changes; see tunnelwatch_hook_runs_total)", hook, summary);
    }
  }

  synchronized void dropped(String hook, int capacity) {
    if (dropping.add(hook)) {
      log.warn(
          "hook {}: {} events already wait for the hooks, dropping (counted in tunnelwatch_hook_dropped_total)",
          hook,
          capacity);
    }
  }

  synchronized void queued(String hook) {
    dropping.remove(hook);
  }
}
