package org.tunnelwatch.tunnel;

import java.util.Optional;
import org.tunnelwatch.ipsec.SaStatus;

/**
 * Answered echoes prove a tunnel only if they crossed its CHILD SA. When the daemon lists that
 * CHILD SA as not installed, they did not: the kernel sent them by another policy that matches the
 * source, a sibling's wider traffic CHILD SA (a failover group's backup carries the whole LAN,
 * the member's probe source included) or none at all, in the clear. Seen in the dual-hub lab: a
 * hub stopped cleanly, its member's echoes answered through the other hub, the member "up" again
 * a second later, and the traffic preempted back to a hub that was still down. Pure.
 *
 * <p>Only where the daemon knows the tunnel: its CHILD SA was seen installed before, or its IKE SA
 * is listed now (established or being set up, as after a hub's DELETE while the re-initiate
 * waits). A daemon that lists neither (a name that matches nothing, a backend without SA details)
 * leaves the echoes to decide, as before.
 */
final class EchoesAroundTheSa {

  private EchoesAroundTheSa() {}

  /** Whether the round's answers must not count: it passed, but not through the CHILD SA. */
  static boolean suspect(TunnelRound round, boolean childSeenInstalled) {
    return !round.sample().failed()
        && round.sample().received() > 0
        && round.sa().map(sa -> !sa.childInstalled() && (childSeenInstalled || sa.ike().isPresent() || sa.ikeConnecting())).orElse(false);
  }

  /** The reason a tunnel that was up is down after such a round. */
  static String why(String child) {
    return "echoes answered, but the daemon lists no installed CHILD SA " + child
        + ": they crossed another SA or left unprotected";
  }
}
