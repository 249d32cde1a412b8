package org.tunnelwatch.config;

import java.util.OptionalInt;

/** Which Libreswan command set to use: the {@code backend.libreswan-version} key. */
public enum LibreswanVersion implements ConfigWord {
  /** Ask {@code ipsec --version}. */
  AUTO,
  V4,
  V5;

  /** {@code auto}, {@code 4} or {@code 5}. */
  @Override
  public String configName() {
    OptionalInt major = major();
    return major.isPresent() ? Integer.toString(major.getAsInt()) : "auto";
  }

  /** The major version when it is given, empty for {@link #AUTO}. */
  public OptionalInt major() {
    return switch (this) {
      case AUTO -> OptionalInt.empty();
      case V4 -> OptionalInt.of(4);
      case V5 -> OptionalInt.of(5);
    };
  }
}
