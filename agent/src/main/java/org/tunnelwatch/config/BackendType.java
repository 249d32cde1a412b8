package org.tunnelwatch.config;

/** Which IPsec daemon interface the agent uses: the {@code backend.type} key. */
public enum BackendType implements ConfigWord {
  /** vici when its Unix socket exists when the agent starts, else swanctl. */
  AUTO("auto"),
  /** charon's VICI socket, spoken natively. */
  VICI("vici"),
  /** The swanctl program. */
  SWANCTL("swanctl"),
  /** Libreswan's pluto, through ipsec whack. */
  LIBRESWAN("libreswan");

  private final String configName;

  BackendType(String configName) {
    this.configName = configName;
  }

  @Override
  public String configName() {
    return configName;
  }
}
