package org.tunnelwatch.ipsec;

import java.util.Optional;

/**
 * Told by a backend that can push events (VICI) when SAs go away, so that the agent can act at
 * once instead of waiting for probe rounds to fail. Called on the event thread; must be quick.
 */
public interface SaEventListener {

  /**
   * An SA of connection {@code ike} went down: the CHILD SA {@code child}, or, when {@code child}
   * is empty, the IKE SA with all its CHILD SAs.
   *
   * @param event what said so, for logs, such as {@code child-updown}
   */
  void saDown(String ike, Optional<String> child, String event);

  /**
   * The CHILD SA {@code child} of connection {@code ike} was rekeyed: it lives on under new SAs,
   * which are now the last installed for its selectors (what a failover group must know).
   */
  default void childRekeyed(String ike, String child) {}

  /** Events may have been missed (the daemon restarted): read the SAs afresh. */
  void resync();
}
