package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.icmp.EngineStats;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Turns tunnel events into metrics. Every series a tunnel can have is registered when the agent
 * starts, at zero, so that {@code rate()} and alert rules see a series before the first event.
 * A scrape then looks like:
 *
 * <pre>
 * tunnelwatch_tunnel_up{tunnel="sg1-sgcentral"} 1.0
 * tunnelwatch_tunnel_state{state="up",tunnel="sg1-sgcentral"} 1.0
 * tunnelwatch_tunnel_state{state="down",tunnel="sg1-sgcentral"} 0.0
 * tunnelwatch_tunnel_loss_ratio{tunnel="sg1-sgcentral"} 0.0
 * tunnelwatch_probes_total{result="success",target="203.0.113.1",tunnel="sg1-sgcentral"} 42.0
 * tunnelwatch_probe_rtt_seconds_bucket{target="203.0.113.1",tunnel="sg1-sgcentral",le="0.005"} 42
 * tunnelwatch_remediations_total{action="reinitiate",result="success",tunnel="sg1-sgcentral"} 1.0
 * tunnelwatch_tunnel_state_changes_total{state="down",tunnel="sg1-sgcentral"} 1.0
 * tunnelwatch_tunnel_last_state_change_timestamp_seconds{tunnel="sg1-sgcentral"} 1.7961984E9
 * tunnelwatch_tunnel_down_seconds_total{tunnel="sg1-sgcentral"} 12.0
 * tunnelwatch_tunnel_last_outage_detection_seconds{tunnel="sg1-sgcentral"} 2.0
 * tunnelwatch_child_sa_installed{tunnel="sg1-sgcentral"} 1.0
 * tunnelwatch_child_sa_packets_total{direction="in",tunnel="sg1-sgcentral"} 420.0
 * tunnelwatch_uplink_up{uplink="wan"} 1.0
 * tunnelwatch_backend_up 1.0
 * tunnelwatch_state_writable 1.0
 * </pre>
 *
 * <p>Times come from the registry's clock: wall time for timestamps, monotonic time for
 * durations, so that tests drive them with Micrometer's {@code MockClock}.
 *
 * <p>Thread-safe: a tunnel's events come from whichever thread moves its round on (one round
 * per tunnel at a time), and scrapes read the values from HTTP threads.
 */
public final class AgentMetrics implements TunnelEvents {

  /** RTT buckets from LAN-like to satellite-like paths. */
  private static final Duration[] RTT_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500)
  };

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, TunnelGauges> tunnels = new ConcurrentHashMap<>();
  private final Map<String, GaugeValue> uplinks = new ConcurrentHashMap<>();
  private final IcmpEngineMetrics icmpEngine;
  private final GaugeValue backendUp = new GaugeValue(Double.NaN);
  private final GaugeValue stateWritable = new GaugeValue(Double.NaN);

  /** Remediations are shell commands and daemon calls: from a tenth of a second to a minute. */
  private static final Duration[] REMEDIATION_BUCKETS = {
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  /** Rounds late by less than 10 ms are on time; a whole interval late means a skipped round. */
  private static final Duration[] LAG_BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  /** The gauges of one tunnel, and what is needed to compute them. */
  private static final class TunnelGauges {
    final GaugeValue up = new GaugeValue(0);
    final Map<TunnelState, GaugeValue> states = new EnumMap<>(TunnelState.class);
    final Map<TunnelState, Counter> changes = new EnumMap<>(TunnelState.class);
    final GaugeValue loss = new GaugeValue(0);
    final GaugeValue rtt = new GaugeValue(0);
    final GaugeValue exhausted = new GaugeValue(0);
    final GaugeValue lastChange = new GaugeValue(0);
    final GaugeValue detection = new GaugeValue(0);
    final GaugeValue downSeconds = new GaugeValue(0);
    final GaugeValue saInstalled = new GaugeValue(0);
    final GaugeValue bytesIn = new GaugeValue(0);
    final GaugeValue bytesOut = new GaugeValue(0);
    final GaugeValue packetsIn = new GaugeValue(0);
    final GaugeValue packetsOut = new GaugeValue(0);
    // Written only by the tunnel's round, of which one at a time is in flight; volatile because
    // successive rounds run on different threads.
    volatile TunnelState lastRoundState = TunnelState.UNKNOWN;
    volatile long lastRoundNanos = -1;
    volatile long lastRoundStartNanos = -1;
    volatile Timer lag;
    /**
     * Each target's meters, looked up once rather than built and found in the registry every
     * round (with a thousand tunnels, that lookup was a good part of the agent's CPU).
     */
    final Map<java.net.InetAddress, TargetMeters> targets = new ConcurrentHashMap<>();
  }

  /** The meters of one target of one tunnel. */
  private final class TargetMeters {
    final Counter success;
    final Counter timeout;
    final Counter error;
    final Timer rtt;

    TargetMeters(String tunnel, String target) {
      success = probes(tunnel, target, EchoStatus.SUCCESS);
      timeout = probes(tunnel, target, EchoStatus.TIMEOUT);
      error = probes(tunnel, target, EchoStatus.ERROR);
      rtt = rttTimer(tunnel, target);
    }
  }

  public AgentMetrics(MeterRegistry registry, List<TunnelConfig> tunnelConfigs, Collection<String> uplinkNames) {
    this.registry = registry;
    this.clock = registry.config().clock();
    this.icmpEngine = new IcmpEngineMetrics(registry);
    tunnelConfigs.forEach(this::registerTunnel);
    uplinkNames.forEach(this::registerUplink);
    registerFaultGauges();
  }

  // Faults around the agent: the daemon and the state directory.

  private void registerFaultGauges() {
    gauge(MetricNames.BACKEND_UP, Tags.empty(), backendUp, "1 while the IPsec daemon answers, 0 while it does not (NaN before the first attempt)");
    gauge(MetricNames.STATE_WRITABLE, Tags.empty(), stateWritable,
        "1 while the remediation history can be saved in the state directory, 0 while it lives in memory only");
  }

  @Override
  public void backendChanged(boolean up) {
    backendUp.set(up ? 1 : 0);
  }

  @Override
  public void stateWritableChanged(boolean writable) {
    stateWritable.set(writable ? 1 : 0);
  }

  private void registerTunnel(TunnelConfig tunnel) {
    TunnelGauges g = new TunnelGauges();
    Tags tags = Tags.of(MetricNames.TAG_TUNNEL, tunnel.name());
    gauge(MetricNames.TUNNEL_UP, tags, g.up, "1 while the tunnel carries traffic (up or degraded)");
    for (TunnelState state : TunnelState.values()) {
      GaugeValue value = new GaugeValue(state == TunnelState.UNKNOWN ? 1 : 0);
      g.states.put(state, value);
      gauge(MetricNames.TUNNEL_STATE, tags.and(MetricNames.TAG_STATE, state.label()), value, "1 for the tunnel's current state");
    }
    gauge(MetricNames.TUNNEL_LOSS_RATIO, tags, g.loss, "Echo loss over the health window, 0 to 1");
    gauge(MetricNames.TUNNEL_RTT, tags, g.rtt, "Mean echo round-trip time over the health window");
    gauge(MetricNames.LADDER_EXHAUSTED, tags, g.exhausted, "1 once every rung of the repair ladder was tried since the tunnel was last up");
    for (TunnelState state : TunnelState.values()) {
      if (state != TunnelState.UNKNOWN) { // nothing ever changes back to unknown
        g.changes.put(
            state,
            Counter.builder(MetricNames.STATE_CHANGES)
                .tags(tags.and(MetricNames.TAG_STATE, state.label()))
                .description("Changes of state, by the state changed to")
                .register(registry));
      }
    }
    gauge(MetricNames.LAST_STATE_CHANGE, tags, g.lastChange, "Unix time of the last change of state, 0 before the first");
    counterOf(MetricNames.DOWN_TIME, tags, g.downSeconds, "Seconds spent down, counted round by round");
    gauge(MetricNames.LAST_DETECTION, tags, g.detection,
        "Seconds from the first failed round of the last outage to the change to down");
    gauge(MetricNames.CHILD_SA_INSTALLED, tags, g.saInstalled, "1 while the daemon reports the CHILD SA installed");
    saCounter(MetricNames.CHILD_SA_BYTES, tags, "in", g.bytesIn, "Bytes through the current CHILD SA (the daemon's counter; resets when the SA is replaced)");
    saCounter(MetricNames.CHILD_SA_BYTES, tags, "out", g.bytesOut, "Bytes through the current CHILD SA (the daemon's counter; resets when the SA is replaced)");
    saCounter(MetricNames.CHILD_SA_PACKETS, tags, "in", g.packetsIn, "Packets through the current CHILD SA (the daemon's counter; resets when the SA is replaced)");
    saCounter(MetricNames.CHILD_SA_PACKETS, tags, "out", g.packetsOut, "Packets through the current CHILD SA (the daemon's counter; resets when the SA is replaced)");
    g.lag =
        Timer.builder(MetricNames.ROUND_LAG)
            .tags(tags)
            .description("How much later than one interval after the previous round a round started")
            .serviceLevelObjectives(LAG_BUCKETS)
            .register(registry);
    for (var target : tunnel.targets()) {
      String address = IpAddresses.toText(target);
      for (EchoStatus status : EchoStatus.values()) {
        probes(tunnel.name(), address, status);
      }
      rttTimer(tunnel.name(), address);
    }
    for (RemedyAction action : tunnel.settings().ladder()) {
      for (RemedyResult result : RemedyResult.values()) {
        remediations(tunnel.name(), action, result);
      }
      remediationTimer(tunnel.name(), action);
    }
    Counter.builder(MetricNames.ROUND_ERRORS).tags(tags).description("Probe rounds that failed inside the agent").register(registry);
    tunnels.put(tunnel.name(), g);
  }

  /**
   * After a configuration reload: drops the series of tunnels, targets and uplinks that are gone,
   * registers the new ones at zero, and leaves the series of everything that stays untouched, so
   * that its counters do not reset.
   */
  public void reconfigure(List<TunnelConfig> tunnelConfigs, Collection<String> uplinkNames) {
    Map<String, Set<String>> targetsByTunnel = new HashMap<>();
    for (TunnelConfig tunnel : tunnelConfigs) {
      targetsByTunnel.put(tunnel.name(), Set.copyOf(tunnel.targets().stream().map(IpAddresses::toText).toList()));
    }
    for (Meter meter : registry.getMeters()) {
      String tunnel = meter.getId().getTag(MetricNames.TAG_TUNNEL);
      String target = meter.getId().getTag(MetricNames.TAG_TARGET);
      String uplink = meter.getId().getTag(MetricNames.TAG_UPLINK);
      boolean tunnelGone = tunnel != null && !targetsByTunnel.containsKey(tunnel);
      boolean targetGone = !tunnelGone && tunnel != null && target != null && !targetsByTunnel.get(tunnel).contains(target);
      if (tunnelGone || targetGone || (uplink != null && !uplinkNames.contains(uplink))) {
        registry.remove(meter);
      }
    }
    tunnels.keySet().retainAll(targetsByTunnel.keySet());
    uplinks.keySet().retainAll(Set.copyOf(uplinkNames));
    for (TunnelConfig tunnel : tunnelConfigs) {
      if (!tunnels.containsKey(tunnel.name())) {
        registerTunnel(tunnel);
        continue;
      }
      // A tunnel that stays keeps its gauges; only new targets and rungs need their series.
      tunnels.get(tunnel.name()).targets.clear(); // removed targets' meters are gone from the registry
      for (var target : tunnel.targets()) {
        for (EchoStatus status : EchoStatus.values()) {
          probes(tunnel.name(), IpAddresses.toText(target), status);
        }
        rttTimer(tunnel.name(), IpAddresses.toText(target));
      }
      for (RemedyAction action : tunnel.settings().ladder()) {
        for (RemedyResult result : RemedyResult.values()) {
          remediations(tunnel.name(), action, result);
        }
        remediationTimer(tunnel.name(), action);
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
    TunnelGauges g = tunnels.get(round.tunnel());
    for (EchoResult echo : round.echoes()) {
      TargetMeters meters = g == null ? null : g.targets.get(echo.target());
      if (meters == null) {
        meters = new TargetMeters(round.tunnel(), IpAddresses.toText(echo.target()));
        if (g != null) {
          g.targets.put(echo.target(), meters);
        }
      }
      if (echo.status() == EchoStatus.ERROR) {
        meters.error.increment(Math.max(1, echo.sent()));
        continue;
      }
      meters.success.increment(echo.received());
      meters.timeout.increment(echo.sent() - echo.received());
      for (Duration rtt : echo.rtts()) {
        meters.rtt.record(rtt);
      }
    }
    if (g != null) {
      g.loss.set(health.window().lossRatio());
      g.rtt.set(health.window().meanRtt().toNanos() / 1e9);
      showState(g, health.state());
      g.exhausted.set(remedy.exhausted() ? 1 : 0);
      countDownTime(g, round.sample().atNanos(), health.state());
      round.sa().ifPresentOrElse(sa -> showSa(g, sa), () -> g.saInstalled.set(0));
    }
  }

  /**
   * Adds the time since the previous round if the tunnel was down through it: down time is
   * counted from the change to down (detection excluded) to the change back, to within a round.
   */
  private static void countDownTime(TunnelGauges g, long nowNanos, TunnelState now) {
    if (g.lastRoundState == TunnelState.DOWN && g.lastRoundNanos >= 0) {
      g.downSeconds.set(g.downSeconds.get() + (nowNanos - g.lastRoundNanos) / 1e9);
    }
    g.lastRoundState = now;
    g.lastRoundNanos = nowNanos;
  }

  /**
   * The daemon's counters of the current CHILD SA. An unreadable daemon leaves the counters as
   * they were but clears "installed": nothing says it still is.
   */
  private static void showSa(TunnelGauges g, SaStatus sa) {
    g.saInstalled.set(sa.childInstalled() ? 1 : 0);
    Optional<ChildSa> child = sa.child();
    g.bytesIn.set(child.map(ChildSa::bytesIn).orElse(0L));
    g.bytesOut.set(child.map(ChildSa::bytesOut).orElse(0L));
    g.packetsIn.set(child.map(ChildSa::packetsIn).orElse(0L));
    g.packetsOut.set(child.map(ChildSa::packetsOut).orElse(0L));
  }

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    TunnelGauges g = tunnels.get(tunnel);
    if (g != null) {
      showState(g, to.state());
      Counter changes = g.changes.get(to.state());
      if (changes != null) {
        changes.increment();
      }
      g.lastChange.set(clock.wallTime() / 1e3);
      if (to.state() == TunnelState.DOWN) {
        g.detection.set(to.detectionNanos() / 1e9);
      }
    }
  }

  @Override
  public void remedied(String tunnel, RemedyOutcome outcome, String reason) {
    remediations(tunnel, outcome.action(), outcome.result()).increment();
    if (outcome.result() != RemedyResult.SKIPPED) {
      remediationTimer(tunnel, outcome.action()).record(outcome.took());
    }
  }

  /**
   * Records how late a tunnel's round starts: the time since the previous round's start, less
   * one interval. Called as the tunnel's round starts. A round that overran its interval shows
   * here as the next round's lag (the firings in between are skipped).
   */
  public void roundStarting(String tunnel, Duration interval) {
    TunnelGauges g = tunnels.get(tunnel);
    if (g == null) {
      return;
    }
    long now = clock.monotonicTime();
    if (g.lastRoundStartNanos >= 0) {
      long lag = now - g.lastRoundStartNanos - interval.toNanos();
      g.lag.record(Duration.ofNanos(Math.max(0, lag)));
    }
    g.lastRoundStartNanos = now;
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
    registry.counter(MetricNames.ROUND_ERRORS, MetricNames.TAG_TUNNEL, tunnel).increment();
  }

  // ---- Asynchronous rounds and the native ICMP engine (issue #7)

  /**
   * The native ICMP engine's counters follow {@code stats} from now on (see {@link
   * IcmpEngineMetrics}); called when a generation with a native engine starts.
   */
  public void icmpEngineStarted(Supplier<EngineStats> stats) {
    icmpEngine.engineStarted(stats);
  }

  /** Counts a scheduled round not started because the previous one was still in flight. */
  public void roundSkipped(String tunnel) {
    Counter.builder(MetricNames.ROUNDS_SKIPPED)
        .tags(MetricNames.TAG_TUNNEL, tunnel)
        .description("Scheduled probe rounds skipped because the previous round was still in flight")
        .register(registry)
        .increment();
  }

  private static void showState(TunnelGauges g, TunnelState current) {
    g.states.forEach((state, value) -> value.set(state == current ? 1 : 0));
    g.up.set(current.carriesTraffic() ? 1 : 0);
  }

  private void gauge(String name, Tags tags, GaugeValue value, String help) {
    Gauge.builder(name, value, GaugeValue::get).tags(tags).description(help).register(registry);
  }

  /**
   * A counter whose value the agent sets rather than increments. Used for the daemon's SA
   * counters: they are counters in the Prometheus sense (they only grow, and start again from
   * zero when the SA is replaced at a rekey), which is exactly the reset that {@code rate()} and
   * {@code increase()} handle. A gauge would make every query of traffic wrong across a rekey.
   */
  private void counterOf(String name, Tags tags, GaugeValue value, String help) {
    FunctionCounter.builder(name, value, GaugeValue::get).tags(tags).description(help).register(registry);
  }

  private void saCounter(String name, Tags tags, String direction, GaugeValue value, String help) {
    counterOf(name, tags.and(MetricNames.TAG_DIRECTION, direction), value, help);
  }

  private Timer remediationTimer(String tunnel, RemedyAction action) {
    return Timer.builder(MetricNames.REMEDIATION_DURATION)
        .tags(MetricNames.TAG_TUNNEL, tunnel, MetricNames.TAG_ACTION, action.configName())
        .description("How long repair actions took, skipped ones excluded")
        .serviceLevelObjectives(REMEDIATION_BUCKETS)
        .register(registry);
  }

  private Counter probes(String tunnel, String target, EchoStatus status) {
    return Counter.builder(MetricNames.PROBES)
        .tags(MetricNames.TAG_TUNNEL, tunnel, MetricNames.TAG_TARGET, target, MetricNames.TAG_RESULT, status.label())
        .description("Echo requests sent, by outcome")
        .register(registry);
  }

  private Timer rttTimer(String tunnel, String target) {
    return Timer.builder(MetricNames.PROBE_RTT)
        .tags(MetricNames.TAG_TUNNEL, tunnel, MetricNames.TAG_TARGET, target)
        .description("Echo round-trip time")
        .serviceLevelObjectives(RTT_BUCKETS)
        .register(registry);
  }

  private Counter remediations(String tunnel, RemedyAction action, RemedyResult result) {
    return Counter.builder(MetricNames.REMEDIATIONS)
        .tags(MetricNames.TAG_TUNNEL, tunnel, MetricNames.TAG_ACTION, action.configName(), MetricNames.TAG_RESULT, result.label())
        .description("Repair actions, by outcome")
        .register(registry);
  }
}
