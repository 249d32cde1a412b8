package org.tunnelwatch.config;

/** Which side of an ipsec.conf conn is this host: the {@code discovery.local} key. */
public enum LocalSide implements ConfigWord {
  LEFT("left"),
  RIGHT("right");

  private final String configName;

  LocalSide(String configName) {
    this.configName = configName;
  }

  @Override
  public String configName() {
    return configName;
  }
}
