package org.tunnelwatch.health;

import java.util.Optional;
import org.tunnelwatch.ipsec.ChildSa;

/**
 * Recognises a dead data plane: the CHILD SA is installed, our echoes get no reply, and its
 * inbound packet counter has not moved since the previous round. IKE and dead-peer detection see
 * nothing wrong then (the lab's {@code dataplane} fault, or a peer that lost its kernel SAs), and
 * re-initiating the CHILD SA is refused because it exists (the backends then rekey it). Used for
 * the status report. Pure.
 */
public final class DataPlane {

  private DataPlane() {}

  /**
   * @param before the CHILD SA as the previous round saw it
   * @param now the CHILD SA as this round sees it
   * @param roundFailed whether this round got no reply at all
   */
  public static boolean dead(Optional<ChildSa> before, Optional<ChildSa> now, boolean roundFailed) {
    if (!roundFailed || before.isEmpty() || now.isEmpty()) {
      return false;
    }
    ChildSa b = before.get();
    ChildSa n = now.get();
    // A different instance (rekeyed, re-initiated) starts its counters afresh: no comparison.
    return n.installed() && b.installed() && b.uniqueId() == n.uniqueId() && b.packetsIn() == n.packetsIn();
  }
}
