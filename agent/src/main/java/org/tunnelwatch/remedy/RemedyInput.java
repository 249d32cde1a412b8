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
 * @param sas what the daemon's SAs say of the tunnel beyond that
 * @param shared the other tunnels that share its IKE SA and the daemon
 */
public record RemedyInput(
    TunnelState health,
    boolean roundFailed,
    boolean uplinkUp,
    long nowNanos,
    OptionalLong lastServiceRestartNanos,
    boolean backendReachable,
    boolean ikeConnecting,
    SaFacts sas,
    SharedView shared) {

  /**
   * @param childInstalled the tunnel's CHILD SA is installed
   * @param ikeEstablishedNanos when (monotonic) its IKE SA was established, if it is
   * @param stateSinceNanos when the tunnel entered its current health state
   */
  public record SaFacts(boolean childInstalled, OptionalLong ikeEstablishedNanos, long stateSinceNanos) {
    public static final SaFacts UNKNOWN = new SaFacts(false, OptionalLong.empty(), Long.MIN_VALUE);
  }

  /** An input for a tunnel that shares nothing, with the daemon reachable and no IKE SA being set up. */
  public RemedyInput(
      TunnelState health, boolean roundFailed, boolean uplinkUp, long nowNanos, OptionalLong lastServiceRestartNanos) {
    this(health, roundFailed, uplinkUp, nowNanos, lastServiceRestartNanos, true, false);
  }

  /** An input for a tunnel that shares nothing, with no IKE SA being set up. */
  public RemedyInput(
      TunnelState health,
      boolean roundFailed,
      boolean uplinkUp,
      long nowNanos,
      OptionalLong lastServiceRestartNanos,
      boolean backendReachable) {
    this(health, roundFailed, uplinkUp, nowNanos, lastServiceRestartNanos, backendReachable, false);
  }

  /** An input for a tunnel that shares nothing. */
  public RemedyInput(
      TunnelState health,
      boolean roundFailed,
      boolean uplinkUp,
      long nowNanos,
      OptionalLong lastServiceRestartNanos,
      boolean backendReachable,
      boolean ikeConnecting) {
    this(health, roundFailed, uplinkUp, nowNanos, lastServiceRestartNanos, backendReachable, ikeConnecting,
        SaFacts.UNKNOWN, SharedView.alone());
  }

  /** This input with another view of the shared objects. */
  public RemedyInput withShared(SharedView view) {
    return new RemedyInput(health, roundFailed, uplinkUp, nowNanos, lastServiceRestartNanos, backendReachable,
        ikeConnecting, sas, view);
  }
}
