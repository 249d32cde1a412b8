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
 */
public record RemedyInput(
    TunnelState health,
    boolean roundFailed,
    boolean uplinkUp,
    long nowNanos,
    OptionalLong lastServiceRestartNanos) {}
