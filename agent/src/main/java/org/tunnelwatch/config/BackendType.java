package org.tunnelwatch.config;

/** Which IPsec daemon interface the agent uses: the {@code backend.type} key. */
public enum BackendType implements ConfigWord {
  /** vici when its Unix socket exists when the agent starts, else swanctl. */
  AUTO,
  /** charon's VICI socket, spoken natively. */
  VICI,
  /** The swanctl program. */
  SWANCTL,
  /** Libreswan's pluto, through ipsec whack. */
  LIBRESWAN;
}
