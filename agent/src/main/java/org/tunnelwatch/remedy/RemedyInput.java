package org.tunnelwatch.remedy;

import java.util.OptionalLong;
import org.tunnelwatch.health.TunnelState;

/**
 * What the planner is told after each probe round.
 *
 * @param health the tunnel's state after the round
 * @param roundFailed whether this round got no reply at all
 * @param uplinkUp whether the tunnel's uplink is up (true when it has none)
 * @param nowNanos monotonic time now
 * @param lastServiceRestartNanos when the IPsec service was last restarted, by any tunnel
 * @param backendReachable whether the IPsec daemon answered the last attempt to read its SAs
 * @param ikeConnecting whether the daemon is setting up an IKE SA for the tunnel and the peer has
 *     not answered yet
 */
public record RemedyInput(
    TunnelState health,
    boolean roundFailed,
    boolean uplinkUp,
    long nowNanos,
    OptionalLong lastServiceRestartNanos,
    boolean backendReachable,
    boolean ikeConnecting) {

  /** An input with the daemon reachable and no IKE SA being set up. */
  public RemedyInput(
      TunnelState health, boolean roundFailed, boolean uplinkUp, long nowNanos, OptionalLong lastServiceRestartNanos) {
    this(health, roundFailed, uplinkUp, nowNanos, lastServiceRestartNanos, true, false);
  }

  /** An input with no IKE SA being set up. */
  public RemedyInput(
      TunnelState health,
      boolean roundFailed,
      boolean uplinkUp,
      long nowNanos,
      OptionalLong lastServiceRestartNanos,
      boolean backendReachable) {
    this(health, roundFailed, uplinkUp, nowNanos, lastServiceRestartNanos, backendReachable, false);
  }
}
