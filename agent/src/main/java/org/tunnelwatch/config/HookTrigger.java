package org.tunnelwatch.config;

/**
 * What a hook runs on: the {@code on:} words of a {@code hooks:} entry, and the value of {@code
 * TUNNELWATCH_EVENT} in the program's environment.
 */
public enum HookTrigger implements ConfigWord {
  /** A tunnel changed state (up, degraded, down, unknown). */
  STATE,
  /** A repair action is about to be carried out. */
  ACTION_BEFORE,
  /** A repair action ended (succeeded, failed or skipped). */
  ACTION_AFTER,
  /** A tunnel's traffic moved to another path (emitted by failover). */
  FAILOVER
}
