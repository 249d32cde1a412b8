package org.tunnelwatch.config;

/**
 * What the operator says of charon's {@code make_before_break}: the {@code
 * backend.make-before-break} key, spelled as strongswan.conf spells it.
 */
public enum MakeBeforeBreakSetting implements ConfigWord {
  /** Read it from strongswan.conf. */
  AUTO,
  YES,
  NO;
}
