package org.tunnelwatch.config;

import java.time.Duration;

/**
 * How long each of the agent's own alerts must hold before it fires ({@code alerting.hold}), as a
 * Prometheus rule's {@code for:} does: a tunnel the repair ladder brings back within the hold
 * pages nobody. The defaults are the {@code for:} of the shipped rules of the same name, so that
 * an outage pages at the same moment whichever path the alert takes.
 *
 * @param tunnelDown TunnelwatchTunnelDown ({@code hold.tunnel-down})
 * @param ladderExhausted TunnelwatchLadderExhausted ({@code hold.ladder-exhausted})
 * @param uplinkDown TunnelwatchUplinkDown ({@code hold.uplink-down})
 */
public record AlertHolds(Duration tunnelDown, Duration ladderExhausted, Duration uplinkDown) {

  /** The shipped rules' {@code for:} (prometheus/rules/tunnelwatch.rules.yml). */
  public static final AlertHolds DEFAULT = new AlertHolds(Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofMinutes(2));

  /** Every alert fires at once. */
  public static final AlertHolds NONE = new AlertHolds(Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** The longest hold accepted: an alert held longer is no longer worth having. */
  static final Duration MAX = Duration.ofHours(1);
}
