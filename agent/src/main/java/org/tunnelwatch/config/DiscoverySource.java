package org.tunnelwatch.config;

/** Where {@code tunnels: auto} finds the tunnels: the {@code discovery.source} key. */
public enum DiscoverySource implements ConfigWord {
  /** The conns of ipsec.conf and its includes. */
  IPSEC_CONF("ipsec-conf"),
  /** charon's loaded connections, through VICI {@code list-conns}. */
  VICI("vici");

  private final String configName;

  DiscoverySource(String configName) {
    this.configName = configName;
  }

  @Override
  public String configName() {
    return configName;
  }
}
