package org.tunnelwatch.agent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * tunnel. Scheduled actions share each tunnel's hourly limit with its repair ladder: a
 * per-tunnel action is skipped for a tunnel whose limit is reached, a service restart (which
 * interrupts every tunnel) when any selected tunnel's is. What runs counts on every tunnel it
 * touched.
 */
final class MaintenanceTask implements Runnable {

  private static final Logger log = LoggerFactory.getLogger("org.tunnelwatch.events");

  private final MaintenanceConfig job;
  private final List<TunnelConfig> tunnels;
  private final ActionRunner actions;
  private final ServiceRestarts serviceRestarts;
  private final HourlyLimits limits;
  private final Consumer<RemedyOutcome> metrics;
  private final TimeSource time;

  /** Each tunnel's hourly action limit, the one its repair ladder counts against. */
  interface HourlyLimits {
    /** Why {@code tunnel} may take no action now, or empty if it may. */
    Optional<String> refused(String tunnel);

    /** Counts an action carried out on {@code tunnel}. */
    void taken(String tunnel);
  }

  MaintenanceTask(
      MaintenanceConfig job,
      List<TunnelConfig> tunnels,
      ActionRunner actions,
      ServiceRestarts serviceRestarts,
      HourlyLimits limits,
      Consumer<RemedyOutcome> metrics,
      TimeSource time) {
    this.job = job;
    this.tunnels = List.copyOf(tunnels);
    this.actions = actions;
    this.serviceRestarts = serviceRestarts;
    this.limits = limits;
    this.metrics = metrics;
    this.time = time;
  }

  @Override
  public void run() {
    if (job.action().isGatewayWide()) {
      RemedyOutcome outcome = refusal(tunnels).orElseGet(() -> actions.run("", "", job.action()));
      if (outcome.result() != RemedyResult.SKIPPED) {
        serviceRestarts.recordAt(time.monotonicNanos());
        tunnels.forEach(t -> limits.taken(t.name()));
      }
      report("gateway", outcome);
      return;
    }
    for (TunnelConfig tunnel : tunnels) {
      RemedyOutcome outcome =
          refusal(List.of(tunnel)).orElseGet(() -> actions.run(tunnel.ike(), tunnel.child(), job.action()));
      if (outcome.result() != RemedyResult.SKIPPED) {
        limits.taken(tunnel.name());
      }
      report("tunnel=" + tunnel.name(), outcome);
    }
  }

  /** A skip if any of {@code touched} has reached its hourly limit. */
  private Optional<RemedyOutcome> refusal(List<TunnelConfig> touched) {
    for (TunnelConfig tunnel : touched) {
      Optional<String> why = limits.refused(tunnel.name());
      if (why.isPresent()) {
        String detail = touched.size() == 1 ? why.get() : "tunnel " + tunnel.name() + ": " + why.get();
        return Optional.of(new RemedyOutcome(job.action(), RemedyResult.SKIPPED, detail, Duration.ZERO));
      }
    }
    return Optional.empty();
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
