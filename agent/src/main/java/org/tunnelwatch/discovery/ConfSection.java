package org.tunnelwatch.discovery;

import java.util.List;

/**
 * One section of an ipsec.conf: {@code config setup} or {@code conn NAME} (including {@code conn
 * %default}), with its settings in the order written.
 */
record ConfSection(Kind kind, String name, Location location, List<ConfSetting> settings) {

  enum Kind {
    CONFIG,
    CONN
  }

  ConfSection {
    settings = List.copyOf(settings);
  }

  boolean isDefaultConn() {
    return kind == Kind.CONN && name.equals("%default");
  }
}
