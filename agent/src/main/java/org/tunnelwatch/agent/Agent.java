package org.tunnelwatch.agent;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.ipsec.strongswan.ReauthMode;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.ConfigProblem;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.config.InvalidConfigException;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.discovery.HostTunnelDiscovery;
import org.tunnelwatch.probe.SourceAddresses;
import org.tunnelwatch.systemd.SystemdNotifier;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.AgentMetrics;
import org.tunnelwatch.telemetry.EventLog;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.telemetry.MicrometerClock;
import org.tunnelwatch.telemetry.MicrometerConfig;
import org.tunnelwatch.telemetry.ProcessFamilies;
import org.tunnelwatch.telemetry.PrometheusConventions;
import org.tunnelwatch.telemetry.ReloadMetrics;
import org.tunnelwatch.telemetry.StatusReport;
import org.tunnelwatch.telemetry.alerts.AlertSender;
import org.tunnelwatch.hooks.Hooks;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.EventFanout;
import org.tunnelwatch.tunnel.TunnelStatus;

/**
 * The running agent and its composition root: builds every part from a configuration, starts
 * the HTTP endpoints and the scheduler, swaps in a new configuration on reload, and stops them
 * again. No part reaches for another through a static; everything is passed in here.
 *
 * <p>What lives as long as the process: the metric registries, the HTTP server (a reload hands
 * it the new {@code listen} and web config: {@link AgentHttpServer#apply}) and the systemd
 * notifier. What a reload replaces: the {@link Generation} (wiring, supervisors, scheduler);
 * tunnels that keep their name keep their state.
 *
 * <p>Thread-safe: reloads and {@link #close()} are serialized; the status is read lock-free.
 */
public final class Agent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final String version;
  private final PrometheusRegistry prometheus;
  private final AgentMetrics metrics;
  private final ReloadMetrics reloads;
  private final AlertSender alerts;
  private final Hooks hooks;
  private final SystemdNotifier notifier;
  private final Generation.Shared shared;
  private final TimeSource time;
  private int generations;
  /** How charon reauthenticates, as last reported (null before the first generation). */
  private ReauthMode reauthMode;
  private volatile Generation current;
  /** Set first thing by {@link #close()}: a reload under way then starts nothing. */
  private volatile boolean closing;
  /** How long the rounds in flight get to end once everything they ran was killed. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
  private volatile AgentHttpServer http;

  private Agent(
      String version,
      PrometheusRegistry prometheus,
      AgentMetrics metrics,
      ReloadMetrics reloads,
      AlertSender alerts,
      Hooks hooks,
      SystemdNotifier notifier,
      TimeSource time) {
    this.version = version;
    this.prometheus = prometheus;
    this.metrics = metrics;
    this.reloads = reloads;
    this.alerts = alerts;
    this.hooks = hooks;
    this.notifier = notifier;
    this.time = time;
    EventFanout events = new EventFanout(List.of(metrics, new EventLog(), alerts.events(), hooks));
    this.shared = new Generation.Shared(events, metrics, notifier, this::announceStatus, time);
  }

  /** Builds and starts an agent outside systemd; on failure nothing is left running. */
  public static Agent start(AgentConfig config) throws AgentStartException {
    return start(config, SystemdNotifier.disabled());
  }

  /**
   * Builds and starts an agent and tells systemd it is ready once the probes are scheduled; on
   * failure nothing is left running.
   */
  public static Agent start(AgentConfig config, SystemdNotifier notifier) throws AgentStartException {
    TimeSource time = TimeSource.system();
    AgentVersion build = AgentVersion.get();
    String version = build.version();
    PrometheusRegistry prometheus = new PrometheusRegistry();
    Info.builder()
        .name(MetricNames.BUILD_INFO)
        .help("A metric with a constant '1' value labeled by version, revision, branch, and javaversion from which tunnelwatch was built")
        .labelNames("version", "revision", "branch", "javaversion")
        .register(prometheus)
        .addLabelValues(build.version(), build.revision(), build.branch(), build.javaVersion());
    // The standard process_* family (resident memory, fds, start time, CPU) from /proc/self.
    ProcessFamilies.register(prometheus);
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(MicrometerConfig.INSTANCE, prometheus, new MicrometerClock(time));
    PrometheusConventions.apply(registry);
    bindJvmMetrics(registry);
    AgentMetrics metrics = new AgentMetrics(registry, time, config.tunnels(), config.uplinks().keySet());
    ReloadMetrics reloads = new ReloadMetrics(registry, time.now());
    AlertSender alerts = AlertSender.start(config.alerting(), registry, time);
    Hooks hooks = new Hooks(config.hooks(), registry, time);
    Agent agent = new Agent(version, prometheus, metrics, reloads, alerts, hooks, notifier, time);
    GaugeWithCallback.builder()
        .name(MetricNames.DRY_RUN)
        .help("1 while the running configuration is in dry-run: failures are detected, nothing is repaired")
        .callback(callback -> {
          Generation running = agent.current;
          if (running != null) {
            callback.call(running.config().dryRun() ? 1 : 0);
          }
        })
        .register(prometheus);
    synchronized (agent) {
      try {
        agent.startWith(config);
      } catch (AgentStartException e) {
        alerts.close();
        hooks.close();
        throw e;
      }
    }
    log.info(
        "tunnelwatch {} watching {} tunnel(s) through {}, HTTP on {}{}",
        version,
        config.tunnels().size(),
        agent.current.wiring().backend().name(),
        config.listen(),
        config.dryRun() ? ", dry-run: no action will be taken" : "");
    notifier.ready(agent.statusLine());
    return agent;
  }

  private void startWith(AgentConfig config) throws AgentStartException {
    warnAboutMissingSources(config);
    warnAboutWebConfig(config);
    Generation first = prepare(config);
    try {
      http = AgentHttpServer.start(config.listen(), config.web(), prometheus, this::statusReport);
    } catch (IOException e) {
      first.close();
      throw new AgentStartException("cannot serve HTTP on " + config.listen() + ": " + e.getMessage());
    }
    current = first;
    try {
      first.start();
    } catch (SchedulerException e) {
      first.close();
      http.close();
      throw new AgentStartException("cannot start the scheduler: " + e.getMessage());
    }
    HeapFreeRatios.ofThisJvm().chooseFor(first.tunnelCount());
  }

  /**
   * Reloads the configuration from {@code file} (on SIGHUP). A valid configuration replaces the
   * running one; an invalid one is logged, one line per problem, and the running one stays.
   *
   * @return whether the new configuration is in use
   */
  public boolean reload(Path file) {
    return reload(file, ConfigOverrides.NONE);
  }

  /** As {@link #reload(Path)}, with the command line's values in place of the file's. */
  public boolean reload(Path file, ConfigOverrides overrides) {
    if (closing) {
      return false;
    }
    notifier.reloading();
    boolean done;
    try {
      // tunnels: auto discovers again: a conn added to ipsec.conf is picked up by the reload.
      done = reload(new ConfigLoader(new HostTunnelDiscovery(), overrides).load(file));
    } catch (InvalidConfigException e) {
      log.error("reload of {} failed, keeping the running configuration: {} problem(s)", file, e.problems().size());
      for (ConfigProblem problem : e.problems()) {
        log.error("{}", problem);
      }
      reloads.failed();
      done = false;
    }
    notifier.ready(statusLine());
    return done;
  }

  /**
   * Swaps in {@code config}: prepares the new tunnels and jobs while the old ones still run, gives
   * the HTTP server its new settings (a new port only if {@code listen} or the scheme changed),
   * then stops the old jobs, hands surviving tunnels their state and starts the new jobs. When preparing fails the old configuration
   * keeps running untouched.
   *
   * @return whether the new configuration is in use
   */
  public synchronized boolean reload(AgentConfig config) {
    Generation previous = current;
    if (previous == null || closing) {
      return false; // closed
    }
    Generation next;
    try {
      next = prepare(config);
    } catch (AgentStartException e) {
      return failed(e.getMessage());
    }
    boolean newListener;
    try {
      newListener = http.apply(config.listen(), config.web());
    } catch (IOException e) {
      next.close();
      return failed("cannot serve HTTP on " + config.listen() + ": " + e.getMessage());
    }
    warnAboutMissingSources(config);
    warnAboutWebConfig(config);
    alerts.reconfigure(config.alerting()).ifPresent(log::warn);
    hooks.reconfigure(config.hooks());
    previous.stop();
    if (closing) {
      // SIGTERM came during the reload: start nothing new; close() takes the old one and the
      // HTTP server (its configuration already applied in place) down.
      next.close();
      return false;
    }
    next.continueFrom(previous);
    metrics.reconfigure(config.tunnels(), config.uplinks().keySet(), config.failover());
    alerts.retain(config.tunnels().stream().map(TunnelConfig::name).collect(Collectors.toSet()), config.uplinks().keySet());
    current = next;
    try {
      next.start();
    } catch (SchedulerException e) {
      // Not seen with an in-memory scheduler that was never shut down; say so loudly if it is.
      log.error("the reloaded configuration's scheduler did not start: {}", e.getMessage());
    }
    previous.close();
    HeapFreeRatios.ofThisJvm().chooseFor(next.tunnelCount());
    reloads.succeeded(time.now());
    log.info(
        "configuration reloaded: {} tunnel(s) (before {}), HTTP on {}{}",
        config.tunnels().size(),
        previous.tunnelCount(),
        config.listen(),
        newListener ? " (new listener)" : "");
    return true;
  }

  private boolean failed(String reason) {
    log.error("reload failed, keeping the running configuration: {}", reason);
    reloads.failed();
    return false;
  }

  private Generation prepare(AgentConfig config) throws AgentStartException {
    Generation next;
    try {
      next = Generation.prepare(config, shared, ++generations);
    } catch (SchedulerException e) {
      throw new AgentStartException("cannot start the scheduler: " + e.getMessage());
    }
    reportReauthMode(next.wiring().reauthMode());
    return next;
  }

  /**
   * Says how charon reauthenticates, at start and when a reload changes it: the repairs are
   * planned by it (see RungGate), and without make-before-break an operator may want to set it.
   */
  private void reportReauthMode(ReauthMode mode) {
    if (mode.equals(reauthMode)) {
      return;
    }
    reauthMode = mode;
    metrics.makeBeforeBreak(switch (mode.makeBeforeBreak()) {
      case ON -> Optional.of(true);
      case OFF, NOT_APPLICABLE -> Optional.of(false);
      case UNKNOWN -> Optional.empty();
    });
    mode.warning().ifPresentOrElse(w -> log.warn("{}", w), () -> log.info("charon reauthenticates {}", mode.describe()));
  }

  public int httpPort() {
    return http.port();
  }

  /** What {@code /api/v1/tunnels} shows. */
  public StatusReport statusReport() {
    Generation g = current;
    return g == null
        ? new StatusReport(version, false, List.of())
        : new StatusReport(version, g.config().dryRun(), g.statuses(), g.wiring().reauthMode().describe(), g.failoverStatuses());
  }

  /** The one-line summary for systemd's STATUS, such as {@code 2/3 tunnels up}. */
  String statusLine() {
    Generation g = current;
    return g == null ? StatusLine.of(List.of(), false) : StatusLine.of(g.states(), g.config().dryRun(), g.failoverStatuses());
  }

  private void announceStatus() {
    notifier.status(statusLine());
  }

  /**
   * Stops within a few seconds (SIGTERM; systemd's stop timeout is 60 s): from the first moment
   * no round, action or program starts, what runs is killed, and a reload under way is
   * abandoned rather than waited for.
   */
  @Override
  public void close() {
    notifier.stopping();
    closing = true;
    Generation running = current;
    if (running != null) {
      running.halt(); // without the lock: a reload holding it then ends at once too
    }
    synchronized (this) {
      Generation g = current;
      current = null;
      if (g != null) {
        g.shutdown(SHUTDOWN_GRACE);
      }
      http.close();
      alerts.close();
      hooks.close();
    }
  }

  private void warnAboutWebConfig(AgentConfig config) {
    config.web().warnings(time.now()).forEach(w -> log.warn("web-config: {}", w));
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
    // No UptimeMetrics, FileDescriptorMetrics: ProcessFamilies has them under the usual names.
  }
}
