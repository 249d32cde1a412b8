package org.tunnelwatch.health;

import java.util.Optional;
import org.tunnelwatch.ipsec.ChildSa;

/**
 * Traffic as proof of life (the tunnel's {@code traffic-counts-as-echo}): packets that came in
 * through the CHILD SA since the last round show the data plane works as well as an answered
 * echo would, so the round needs no echo. Juniper's "vpn-monitor optimized" does the same. Pure.
 *
 * <p>Only a tunnel that is up, with no failed round in its streak, is spared its echoes: a
 * degraded tunnel needs them to measure loss and RTT, and a failing or unknown one needs them to
 * decide. As soon as the counter stands still for a round, that round sends echoes.
 */
public final class InboundTraffic {

  private InboundTraffic() {}

  /** Whether a tunnel in {@code health} may be spared its echoes at all (before the SAs are read). */
  public static boolean mayReplaceEchoes(HealthState health) {
    return health.state() == TunnelState.UP && health.failedStreak() == 0;
  }

  /**
   * @param before the CHILD SA as the previous round saw it
   * @param now the CHILD SA as read now
   * @param health the tunnel's state before this round
   * @param ownReplies echo replies of the agent's own that may have come in since {@code before}
   *     was read: they prove nothing new, so the counter must rise by more
   */
  public static boolean provesLife(Optional<ChildSa> before, Optional<ChildSa> now, HealthState health, int ownReplies) {
    if (!mayReplaceEchoes(health) || before.isEmpty() || now.isEmpty()) {
      return false;
    }
    ChildSa b = before.get();
    ChildSa n = now.get();
    // A new instance (rekeyed, re-initiated) starts its counters afresh: no comparison, echoes.
    return n.installed() && b.installed() && b.uniqueId() == n.uniqueId() && n.packetsIn() - b.packetsIn() > ownReplies;
  }
}
