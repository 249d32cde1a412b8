package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.icmp.EngineStats;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Turns tunnel events into metrics. Agent-wide series (daemon, state directory, uplinks,
 * maintenance, the ICMP engine) are Micrometer meters; the {@code tunnel}-labelled ones live in
 * one {@link TunnelSeries} per tunnel, exported by {@link TunnelFamilies} and {@link
 * TunnelHistograms}. Every series a tunnel can have is there from the start, at zero, so that
 * {@code rate()} and alert rules see it before the first event; a rung's duration appears with its
 * first action that ran. Names are in {@link MetricNames}.
 *
 * <p>Thread-safe: each tunnel's values are guarded by its {@link TunnelSeries}' lock.
 * Reconfigurations are serialized by the agent.
 */
public final class AgentMetrics implements TunnelEvents {

  private final MeterRegistry registry;
  private final TimeSource time;
  private final Map<String, TunnelSeries> tunnels = new ConcurrentHashMap<>();
  private final Map<String, GaugeValue> uplinks = new ConcurrentHashMap<>();
  private final IcmpEngineMetrics icmpEngine;
  private final GaugeValue backendUp = new GaugeValue(Double.NaN);
  private final GaugeValue stateWritable = new GaugeValue(Double.NaN);
  private final GaugeValue makeBeforeBreak = new GaugeValue(Double.NaN);
  private final FailoverMetrics failover;
  private final TunnelHistograms histograms;

  /**
   * @param registry the agent-wide meters go here, the per-tunnel families into its Prometheus
   *     registry
   * @param time the agent's clock, for timestamps and round lag
   */
  public AgentMetrics(
      PrometheusMeterRegistry registry, TimeSource time, List<TunnelConfig> tunnelConfigs, Collection<String> uplinkNames) {
    this.registry = registry;
    this.time = time;
    StreamedFamilies streamed = new StreamedFamilies();
    this.histograms = new TunnelHistograms(streamed);
    this.icmpEngine = new IcmpEngineMetrics(registry);
    tunnelConfigs.forEach(this::addTunnel);
    new TunnelFamilies(tunnels.values(), streamed).addAll();
    streamed.register(registry.getPrometheusRegistry());
    uplinkNames.forEach(this::registerUplink);
    registerFaultGauges();
    this.failover = new FailoverMetrics(registry, time);
  }

  // Faults around the agent: the daemon and the state directory.

  private void registerFaultGauges() {
    gauge(MetricNames.BACKEND_UP, Tags.empty(), backendUp, "1 while the IPsec daemon answers, 0 while it does not (NaN before the first attempt)");
    gauge(MetricNames.STATE_WRITABLE, Tags.empty(), stateWritable,
        "1 while the remediation history can be saved in the state directory, 0 while it lives in memory only");
    gauge(MetricNames.BACKEND_MAKE_BEFORE_BREAK, Tags.empty(), makeBeforeBreak,
        "1 when charon reauthenticates make-before-break, 0 when it deletes the old IKE SA first, NaN when unknown");
  }

  /** What the agent found out about charon's reauthentication (empty: unknown). */
  public void makeBeforeBreak(Optional<Boolean> on) {
    makeBeforeBreak.set(on.map(b -> b ? 1.0 : 0.0).orElse(Double.NaN));
  }

  @Override
  public void collateralOutage(String tunnel, String causedBy, RemedyAction action) {
    TunnelSeries t = tunnels.get(tunnel);
    if (t != null) {
      t.collateralOutage();
    }
  }

  @Override
  public void failoverActive(String group, List<String> members, String active) {
    failover.active(group, members, active);
  }

  @Override
  public void failoverSwitched(Switch decided) {
    failover.switched(decided);
  }

  @Override
  public void backendChanged(boolean up) {
    backendUp.set(up ? 1 : 0);
  }

  @Override
  public void stateWritableChanged(boolean writable) {
    stateWritable.set(writable ? 1 : 0);
  }

  private void addTunnel(TunnelConfig tunnel) {
    tunnels.put(tunnel.name(), new TunnelSeries(tunnel.name(), tunnel.targets(), tunnel.settings().ladder(), histograms));
  }

  /**
   * After a configuration reload: drops the series of tunnels, targets, uplinks and failover groups
   * that are gone, adds the new ones at zero, and leaves the series of everything that stays
   * untouched, so that its counters do not reset.
   */
  public void reconfigure(List<TunnelConfig> tunnelConfigs, Collection<String> uplinkNames, List<FailoverGroupConfig> groups) {
    failover.retain(groups.stream().collect(Collectors.toMap(FailoverGroupConfig::name, FailoverGroupConfig::members)));
    Set<String> names = tunnelConfigs.stream().map(TunnelConfig::name).collect(Collectors.toSet());
    for (String gone : Set.copyOf(tunnels.keySet())) {
      if (!names.contains(gone)) {
        tunnels.remove(gone);
        histograms.forgetTunnel(gone);
      }
    }
    for (TunnelConfig tunnel : tunnelConfigs) {
      TunnelSeries kept = tunnels.get(tunnel.name());
      if (kept == null) {
        addTunnel(tunnel);
      } else {
        kept.reconfigure(tunnel.targets(), tunnel.settings().ladder());
      }
    }
    Set<String> keptUplinks = Set.copyOf(uplinkNames);
    for (String gone : uplinks.keySet()) {
      if (!keptUplinks.contains(gone)) {
        registry.find(MetricNames.UPLINK_UP).tag(MetricNames.TAG_UPLINK, gone).meters().forEach(registry::remove);
        uplinks.remove(gone);
      }
    }
    uplinkNames.stream().filter(u -> !uplinks.containsKey(u)).forEach(this::registerUplink);
  }

  private void registerUplink(String uplink) {
    GaugeValue value = new GaugeValue(0);
    gauge(MetricNames.UPLINK_UP, Tags.of(MetricNames.TAG_UPLINK, uplink), value, "1 while the uplink interface is up");
    uplinks.put(uplink, value);
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    TunnelSeries t = tunnels.get(round.tunnel());
    if (t != null) {
      t.roundCompleted(round, health, remedy);
    }
  }

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    TunnelSeries t = tunnels.get(tunnel);
    if (t != null) {
      t.stateChanged(to, time.now().toEpochMilli() / 1e3);
    }
  }

  @Override
  public void remedied(String tunnel, RemedyOutcome outcome, String reason) {
    TunnelSeries t = tunnels.get(tunnel);
    if (t != null) {
      t.remedied(outcome.action(), outcome.result(), outcome.took());
    }
  }

  /**
   * Records how late a tunnel's rounds start: the time since the previous round's start, less
   * one interval. A round that overran its interval shows here as the next round's lag (the
   * firings in between are skipped). A handle that finds the tunnel's series once rather than by
   * name on every round: a hub starts a thousand rounds a second, and each lookup cost cache
   * misses (docs/benchmarks.md). It looks at its first use, not now, because a reload builds the
   * new tunnels' supervisors before it adds their series.
   */
  public RoundStarts roundStarts(String tunnel, Duration interval) {
    return new RoundStarts(tunnel, interval.toNanos());
  }

  /** Records the starts of one tunnel's rounds. Thread-safe. */
  public final class RoundStarts {

    private final String tunnel;
    private final long intervalNanos;
    /** Found once; volatile so that whichever thread starts the next round sees it. */
    private volatile TunnelSeries series;

    private RoundStarts(String tunnel, long intervalNanos) {
      this.tunnel = tunnel;
      this.intervalNanos = intervalNanos;
    }

    /** The tunnel's round starts now. */
    public void started() {
      TunnelSeries t = series;
      if (t == null) {
        t = tunnels.get(tunnel);
        if (t == null) {
          return;
        }
        series = t;
      }
      t.roundStarting(time.monotonicNanos(), intervalNanos);
    }
  }

  @Override
  public void uplinkChanged(String uplink, LinkState state) {
    GaugeValue value = uplinks.get(uplink);
    if (value != null) {
      value.set(state.isUp() ? 1 : 0);
    }
  }

  /** Counts a scheduled maintenance action. */
  public void maintenance(RemedyOutcome outcome) {
    Counter.builder(MetricNames.MAINTENANCE)
        .tags(MetricNames.TAG_ACTION, outcome.action().configName(), MetricNames.TAG_RESULT, outcome.result().label())
        .description("Scheduled maintenance actions")
        .register(registry)
        .increment();
  }

  /** Counts a probe round that failed inside the agent. */
  public void roundError(String tunnel) {
    TunnelSeries t = tunnels.get(tunnel);
    if (t != null) {
      t.roundError();
    }
  }


  /**
   * The native ICMP engine's counters follow {@code stats} from now on (see {@link
   * IcmpEngineMetrics}); called when a generation with a native engine starts.
   */
  public void icmpEngineStarted(Supplier<EngineStats> stats) {
    icmpEngine.engineStarted(stats);
  }

  /** Counts a scheduled round not started because the previous one was still in flight. */
  public void roundSkipped(String tunnel) {
    TunnelSeries t = tunnels.get(tunnel);
    if (t != null) {
      t.roundSkipped();
    }
  }

  private void gauge(String name, Tags tags, GaugeValue value, String help) {
    Gauge.builder(name, value, GaugeValue::get).tags(tags).description(help).register(registry);
  }
}
