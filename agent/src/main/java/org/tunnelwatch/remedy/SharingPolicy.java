package org.tunnelwatch.remedy;

import java.time.Duration;

/**
 * What the operator allows repairs of shared objects to cost ({@code repairs:} in the
 * configuration).
 *
 * @param interruptHealthySiblings an IKE-level action that interrupts its IKE SA may run while
 *     another tunnel of that IKE SA carries traffic (off: the broken tunnel waits for CHILD-level
 *     repairs, or for its siblings to fail too)
 * @param interruptHealthyTunnels the service may be restarted while other tunnels carry traffic
 *     (off: only when every other tunnel is down too, or the daemon does not answer at all)
 * @param pathFaultHold how long a tunnel whose SAs were rebuilt by an IKE-level repair, and still
 *     carry nothing, waits before the service is restarted: the daemon did its part, so the fault
 *     is on the path, and a restart would only tear down SAs that work the moment it heals
 */
public record SharingPolicy(boolean interruptHealthySiblings, boolean interruptHealthyTunnels, Duration pathFaultHold) {

  public static final Duration DEFAULT_PATH_FAULT_HOLD = Duration.ofMinutes(2);

  public static final SharingPolicy DEFAULT = new SharingPolicy(false, false, DEFAULT_PATH_FAULT_HOLD);
}
