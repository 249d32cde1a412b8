package org.tunnelwatch.health;

import java.time.Duration;
import org.tunnelwatch.config.TunnelSettings;

/**
 * The thresholds of the health state machine.
 *
 * @param downAfter consecutive failed rounds that make a tunnel down
 * @param upAfter consecutive good rounds that bring a down or unknown tunnel up
 * @param degradedLoss loss ratio above which an up tunnel is degraded
 * @param degradedRtt mean RTT above which an up tunnel is degraded; zero turns the rule off
 * @param window how far back loss and RTT are computed
 */
public record HealthPolicy(
    int downAfter, int upAfter, double degradedLoss, Duration degradedRtt, Duration window) {

  public static HealthPolicy from(TunnelSettings settings) {
    return new HealthPolicy(
        settings.downAfter(),
        settings.upAfter(),
        settings.degradedLoss(),
        settings.degradedRtt(),
        settings.window());
  }
}
