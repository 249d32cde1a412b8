package org.tunnelwatch.config;

/**
 * What the operator says of charon's {@code make_before_break}: the {@code
 * backend.make-before-break} key, spelled as strongswan.conf spells it.
 */
public enum MakeBeforeBreakSetting implements ConfigWord {
  /** Read it from strongswan.conf. */
  AUTO("auto"),
  YES("yes"),
  NO("no");

  private final String configName;

  MakeBeforeBreakSetting(String configName) {
    this.configName = configName;
  }

  @Override
  public String configName() {
    return configName;
  }
}
