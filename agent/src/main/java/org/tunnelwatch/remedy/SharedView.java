package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.Durations;

/**
 * What one tunnel's planner knows, at one moment, about the objects it shares with other tunnels:
 * its IKE SA (every tunnel whose {@code ike} names the same connection) and the daemon (every
 * tunnel). Built by the coordinator that sees all of them; the planner stays pure.
 *
 * @param ikeBusy an action on this tunnel's IKE SA by another member that is running or settling:
 *     no member starts another action on that IKE SA meanwhile
 * @param gatewayBusy an action by another tunnel anywhere on the gateway that is running or
 *     settling: the service is not restarted under it
 * @param settleOn an action on a shared object that another tunnel took for this one too (it was
 *     down when that was decided) and that has ended: this tunnel settles on it as on its own
 * @param healthySiblings the other members of this tunnel's IKE SA that carry traffic now
 * @param healthyElsewhere the tunnels of other IKE SAs that carry traffic now
 * @param makeBeforeBreak whether charon builds a new IKE SA before it deletes the old one when it
 *     reauthenticates
 * @param policy what the operator allows
 * @param failover where this tunnel stands in its failover group, if it is in one whose other
 *     members change what its ladder may do
 */
public record SharedView(
    Optional<Busy> ikeBusy,
    Optional<Busy> gatewayBusy,
    Optional<Taken> settleOn,
    List<String> healthySiblings,
    List<String> healthyElsewhere,
    boolean makeBeforeBreak,
    SharingPolicy policy,
    Optional<FailoverStanding> failover) {

  public SharedView {
    healthySiblings = List.copyOf(healthySiblings);
    healthyElsewhere = List.copyOf(healthyElsewhere);
  }

  /** A view of a tunnel in no failover group. */
  public SharedView(
      Optional<Busy> ikeBusy,
      Optional<Busy> gatewayBusy,
      Optional<Taken> settleOn,
      List<String> healthySiblings,
      List<String> healthyElsewhere,
      boolean makeBeforeBreak,
      SharingPolicy policy) {
    this(ikeBusy, gatewayBusy, settleOn, healthySiblings, healthyElsewhere, makeBeforeBreak, policy, Optional.empty());
  }

  /** A tunnel that shares nothing with another tunnel the agent watches. */
  public static SharedView alone(boolean makeBeforeBreak, SharingPolicy policy) {
    return new SharedView(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), makeBeforeBreak, policy);
  }

  /** For a planner that has no coordinator: alone, make-before-break, the default policy. */
  public static SharedView alone() {
    return alone(true, SharingPolicy.DEFAULT);
  }

  /**
   * Another tunnel's action that holds this one back.
   *
   * @param tunnel who took it
   * @param action what it is
   * @param settleLeft zero while it runs, else how long it still settles
   * @param running whether it is still being carried out
   */
  public record Busy(String tunnel, RemedyAction action, Duration settleLeft, boolean running) {

    /** "restart-ike by sg1 (running)" or "... (settling, 12s left)". */
    public String describe() {
      return action.configName() + " by " + tunnel
          + (running ? " (running)" : " (settling, " + Durations.format(settleLeft) + " left)");
    }
  }

  /**
   * An action on a shared object taken for this tunnel among others.
   *
   * @param tunnel who carried it out
   * @param action what it was
   * @param startNanos when it started (monotonic)
   * @param failed whether the daemon refused it
   */
  public record Taken(String tunnel, RemedyAction action, long startNanos, boolean failed) {}
}
