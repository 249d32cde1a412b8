package org.tunnelwatch.agent;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.config.MaintenanceConfig;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.probe.SourceAddresses;
import org.tunnelwatch.schedule.AgentScheduler;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.AgentMetrics;
import org.tunnelwatch.telemetry.EventLog;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.telemetry.PrometheusConventions;
import org.tunnelwatch.telemetry.StatusReport;
import org.tunnelwatch.telemetry.alerts.AlertSender;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.EventFanout;
import org.tunnelwatch.tunnel.TunnelSupervisor;

/**
 * The running agent and its composition root: builds every part from a configuration, starts
 * the HTTP endpoints and the scheduler, and stops them again. No part reaches for another
 * through a static; everything is passed in here.
 */
public final class Agent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final int MAX_THREADS = 64;

  private final Wiring wiring;
  private final AgentHttpServer http;
  private final AgentScheduler scheduler;
  private final AlertSender alerts;

  private Agent(Wiring wiring, AgentHttpServer http, AgentScheduler scheduler, AlertSender alerts) {
    this.wiring = wiring;
    this.http = http;
    this.scheduler = scheduler;
    this.alerts = alerts;
  }

  /** Builds and starts an agent; on failure nothing is left running. */
  public static Agent start(AgentConfig config) throws AgentStartException {
    String version = AgentVersion.get();
    PrometheusRegistry prometheus = new PrometheusRegistry();
    Info.builder()
        .name(MetricNames.BUILD_INFO)
        .help("tunnelwatch build information")
        .labelNames("version")
        .register(prometheus)
        .addLabelValues(version);
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus, Clock.SYSTEM);
    PrometheusConventions.apply(registry);
    bindJvmMetrics(registry);
    AgentMetrics metrics = new AgentMetrics(registry, config.tunnels(), config.uplinks().keySet());
    AlertSender alerts = AlertSender.start(config.alerting(), registry, TimeSource.system());
    EventFanout events = new EventFanout(List.of(metrics, new EventLog(), alerts.events()));

    Wiring wiring = new Wiring(config, TimeSource.system());
    List<TunnelSupervisor> supervisors = wiring.supervisors(events);
    warnAboutMissingSources(config);

    AgentHttpServer http;
    try {
      http =
          AgentHttpServer.start(
              config.listen(),
              config.web(),
              prometheus,
              () -> new StatusReport(version, config.dryRun(), supervisors.stream().map(TunnelSupervisor::status).toList()));
    } catch (IOException e) {
      wiring.close();
      alerts.close();
      throw new AgentStartException("cannot serve HTTP on " + config.listen() + ": " + e.getMessage());
    }
    AgentScheduler scheduler = null;
    try {
      int threads = Math.min(MAX_THREADS, Math.max(2, supervisors.size() + config.maintenance().size() + 1));
      scheduler = new AgentScheduler("tunnelwatch", threads);
      scheduleRounds(scheduler, supervisors, metrics);
      scheduleMaintenance(scheduler, config, wiring, metrics);
      scheduler.start();
    } catch (SchedulerException e) {
      if (scheduler != null) {
        scheduler.close();
      }
      http.close();
      wiring.close();
      alerts.close();
      throw new AgentStartException("cannot start the scheduler: " + e.getMessage());
    }
    log.info(
        "tunnelwatch {} watching {} tunnel(s) through {}, HTTP on {}{}",
        version,
        supervisors.size(),
        wiring.backend().name(),
        config.listen(),
        config.dryRun() ? ", dry-run: no action will be taken" : "");
    return new Agent(wiring, http, scheduler, alerts);
  }

  public int httpPort() {
    return http.port();
  }

  @Override
  public void close() {
    scheduler.close();
    http.close();
    wiring.close();
    alerts.close();
  }

  /**
   * Spreads the tunnels' first rounds over one interval, so that a gateway with many tunnels does
   * not probe them all in the same instant.
   */
  private static void scheduleRounds(AgentScheduler scheduler, List<TunnelSupervisor> supervisors, AgentMetrics metrics)
      throws SchedulerException {
    for (int i = 0; i < supervisors.size(); i++) {
      TunnelSupervisor supervisor = supervisors.get(i);
      TunnelConfig tunnel = supervisor.config();
      Duration delay = tunnel.settings().interval().multipliedBy(i).dividedBy(supervisors.size());
      scheduler.every(
          "probe-" + tunnel.name(),
          tunnel.settings().interval(),
          delay,
          () -> {
            try {
              metrics.roundStarting(tunnel.name(), tunnel.settings().interval());
              supervisor.runRound();
            } catch (RuntimeException e) {
              metrics.roundError(tunnel.name());
              log.error("tunnel={} probe round failed inside the agent", tunnel.name(), e);
            }
          });
    }
  }

  private static void scheduleMaintenance(
      AgentScheduler scheduler, AgentConfig config, Wiring wiring, AgentMetrics metrics) throws SchedulerException {
    List<MaintenanceConfig> jobs = config.maintenance();
    for (int i = 0; i < jobs.size(); i++) {
      MaintenanceConfig job = jobs.get(i);
      List<TunnelConfig> tunnels = new ArrayList<>();
      for (TunnelConfig t : config.tunnels()) {
        if (job.tunnel().isEmpty() || job.tunnel().get().equals(t.name())) {
          tunnels.add(t);
        }
      }
      MaintenanceTask task =
          new MaintenanceTask(job, tunnels, wiring.actions(), wiring.serviceRestarts(), metrics::maintenance, TimeSource.system());
      scheduler.cron("maintenance-" + i + "-" + job.action().configName(), job.schedule(), task);
    }
  }

  private static void warnAboutMissingSources(AgentConfig config) {
    for (TunnelConfig tunnel : config.tunnels()) {
      if (!SourceAddresses.isLocal(tunnel.source())) {
        log.warn(
            "tunnel={} source {} is not held by any local interface: its probes will fail until it is"
                + " (the other tunnels are not affected)",
            tunnel.name(),
            IpAddresses.toText(tunnel.source()));
      }
    }
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }
}
