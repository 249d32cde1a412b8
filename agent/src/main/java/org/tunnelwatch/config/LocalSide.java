package org.tunnelwatch.config;

/** Which side of an ipsec.conf conn is this host: the {@code discovery.local} key. */
public enum LocalSide implements ConfigWord {
  LEFT,
  RIGHT;
}
