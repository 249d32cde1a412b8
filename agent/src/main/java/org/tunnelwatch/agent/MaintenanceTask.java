package org.tunnelwatch.agent;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.MaintenanceConfig;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.remedy.ActionRunner;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.ServiceRestarts;

/**
 * A scheduled action, such as the seed document's nightly IPsec restart for {@code
 * uniqueids=no} hubs. A service restart runs once; a per-tunnel action runs for each selected
 * tunnel.
 */
final class MaintenanceTask implements Runnable {

  private static final Logger log = LoggerFactory.getLogger("org.tunnelwatch.events");

  private final MaintenanceConfig job;
  private final List<TunnelConfig> tunnels;
  private final ActionRunner actions;
  private final ServiceRestarts serviceRestarts;
  private final Consumer<RemedyOutcome> metrics;
  private final TimeSource time;

  MaintenanceTask(
      MaintenanceConfig job,
      List<TunnelConfig> tunnels,
      ActionRunner actions,
      ServiceRestarts serviceRestarts,
      Consumer<RemedyOutcome> metrics,
      TimeSource time) {
    this.job = job;
    this.tunnels = List.copyOf(tunnels);
    this.actions = actions;
    this.serviceRestarts = serviceRestarts;
    this.metrics = metrics;
    this.time = time;
  }

  @Override
  public void run() {
    if (job.action().isGatewayWide()) {
      RemedyOutcome outcome = actions.run("", "", job.action());
      if (outcome.result() != RemedyResult.SKIPPED) {
        serviceRestarts.recordAt(time.monotonicNanos());
      }
      report("gateway", outcome);
      return;
    }
    for (TunnelConfig tunnel : tunnels) {
      report("tunnel=" + tunnel.name(), actions.run(tunnel.ike(), tunnel.child(), job.action()));
    }
  }

  private void report(String scope, RemedyOutcome outcome) {
    metrics.accept(outcome);
    log.info(
        "maintenance {} action={} result={} took={}ms schedule=\"{}\"{}",
        scope,
        outcome.action().configName(),
        outcome.result().label(),
        outcome.took().toMillis(),
        job.schedule(),
        outcome.detail().isEmpty() ? "" : " detail=\"" + outcome.detail() + "\"");
  }
}
