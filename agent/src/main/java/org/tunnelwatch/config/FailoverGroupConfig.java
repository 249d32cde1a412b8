package org.tunnelwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One {@code failover:} group: tunnels that reach the same remote hosts through different paths
 * (hubs, uplinks), in priority order. Which member carries the traffic is decided by {@code
 * failover.FailoverMachine}; docs/failover.md explains every key.
 *
 * @param name the group's name in metrics, logs and the status API
 * @param members tunnel names, the preferred one first; at least two
 * @param mode whether the backups are kept established
 * @param failoverAfter how long the active member may be down before traffic moves; empty: once
 *     the rungs of its ladder that touch only it (CHILD and IKE SA) have been tried and failed;
 *     {@link #defaultFailoverAfter} when the file does not say
 * @param preempt whether traffic moves back to a better member once it is healthy again
 * @param preemptAfter how long a better member must be healthy before traffic moves back to it
 * @param holdDown when a member that keeps failing is passed over
 * @param lossLimit if set, a member that is degraded with at least this loss counts as failed;
 *     without it only a member that is down does
 */
public record FailoverGroupConfig(
    String name,
    List<String> members,
    FailoverMode mode,
    Optional<Duration> failoverAfter,
    boolean preempt,
    Duration preemptAfter,
    HoldDown holdDown,
    OptionalDouble lossLimit) {

  public static final Duration DEFAULT_PREEMPT_AFTER = Duration.ofSeconds(60);

  public FailoverGroupConfig {
    members = List.copyOf(members);
  }

  /**
   * {@code failover-after} when the group does not say: a hot group moves at the down verdict,
   * because its backup is established already and the move costs nothing the preempt cannot undo;
   * the failed member's ladder goes on repairing it behind the switch. A cold group first waits for
   * the member's own rungs, because bringing up its backup costs (a metered LTE line, a hub's
   * capacity) and takes as long as the re-initiate it would replace.
   */
  public static Optional<Duration> defaultFailoverAfter(FailoverMode mode) {
    return mode == FailoverMode.HOT ? Optional.of(Duration.ZERO) : Optional.empty();
  }

  /** The members after the first, in the order they are tried. */
  public String primary() {
    return members.get(0);
  }

  /**
   * A member that failed {@code failures} times within {@code within} is not switched to (nor
   * back to) for {@code hold}, unless no other member is healthy.
   */
  public record HoldDown(int failures, Duration within, Duration hold) {

    public static final HoldDown DEFAULT = new HoldDown(3, Duration.ofMinutes(10), Duration.ofMinutes(15));
  }
}
