package org.tunnelwatch.config;

/** Where {@code tunnels: auto} finds the tunnels: the {@code discovery.source} key. */
public enum DiscoverySource implements ConfigWord {
  /** The conns of ipsec.conf and its includes. */
  IPSEC_CONF,
  /** charon's loaded connections, through VICI {@code list-conns}. */
  VICI;
}
