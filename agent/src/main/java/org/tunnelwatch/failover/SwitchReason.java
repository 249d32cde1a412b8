package org.tunnelwatch.failover;

import org.tunnelwatch.config.ConfigWord;

/** Why traffic moved: the {@code reason} label of {@code tunnelwatch_failovers_total}. */
public enum SwitchReason implements ConfigWord {
  /** The active member failed and another is healthy. */
  FAILOVER,
  /** A member preferred to the active one has been healthy for {@code preempt-after}. */
  PREEMPT
}
