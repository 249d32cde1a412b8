package org.tunnelwatch.discovery;

import java.util.Locale;

/** The two ends of an ipsec.conf conn. */
public enum Side {
  LEFT,
  RIGHT;

  /** The keyword prefix: {@code left} or {@code right}. */
  String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  Side other() {
    return this == LEFT ? RIGHT : LEFT;
  }
}
