package org.tunnelwatch.remedy;

/**
 * Where a tunnel stands in its failover group, for the ladder: whether its traffic can go, or
 * goes, through another member, which makes a service restart for it needless (docs/failover.md).
 *
 * @param group the group's name
 * @param other the member meant in {@code role}
 * @param role how this tunnel stands
 */
public record FailoverStanding(String group, String other, Role role) {

  /** How a member stands. */
  public enum Role {
    /** It carries the group's traffic and {@code other} is healthy: traffic moves there instead of a service restart. */
    ACTIVE_WITH_BACKUP,
    /** {@code other} carries the group's traffic: no service restart for this member. */
    BACKED_UP,
    /** A standby of a cold group, not established on purpose: nothing is repaired. */
    COLD_STANDBY
  }

  /** Why the ladder does what it does for this standing, for its log line. */
  String describe() {
    return switch (role) {
      case ACTIVE_WITH_BACKUP -> "traffic moves to " + other + " (failover group " + group + ") instead of a service restart";
      case BACKED_UP -> other + " carries the traffic of failover group " + group + ", so the service is not restarted for this member";
      case COLD_STANDBY -> "a standby of cold failover group " + group + " (" + other + " carries its traffic): brought up only when traffic moves to it";
    };
  }
}
