package org.tunnelwatch.failover;

import org.tunnelwatch.health.TunnelState;

/**
 * What one member of a failover group looks like at one moment, as its own probes and ladder see
 * it.
 *
 * @param tunnel the member's tunnel name
 * @param state its health verdict
 * @param loss its loss ratio over the health window, 0 to 1
 * @param localRungsFailed the rungs of its ladder that touch only it (CHILD and IKE SA) have been
 *     tried since it went down, and it is still down after the last one settled; or they cannot
 *     help (its peer does not answer IKE)
 * @param uplinkDown its uplink is down, so its ladder tries nothing until the uplink is back
 */
public record MemberReport(String tunnel, TunnelState state, double loss, boolean localRungsFailed, boolean uplinkDown) {

  /** A member whose uplink is up (or that has none). */
  public MemberReport(String tunnel, TunnelState state, double loss, boolean localRungsFailed) {
    this(tunnel, state, loss, localRungsFailed, false);
  }

  /** A member nothing is known about yet. */
  public static MemberReport unknown(String tunnel) {
    return new MemberReport(tunnel, TunnelState.UNKNOWN, 0, false);
  }
}
