package org.tunnelwatch.config;

import java.util.OptionalInt;

/** Which Libreswan command set to use: the {@code backend.libreswan-version} key. */
public enum LibreswanVersion implements ConfigWord {
  /** Ask {@code ipsec --version}. */
  AUTO("auto"),
  V4("4"),
  V5("5");

  private final String configName;

  LibreswanVersion(String configName) {
    this.configName = configName;
  }

  @Override
  public String configName() {
    return configName;
  }

  /** The major version when it is given, empty for {@link #AUTO}. */
  public OptionalInt major() {
    return this == AUTO ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(configName));
  }
}
