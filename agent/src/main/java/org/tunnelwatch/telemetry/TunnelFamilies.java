package org.tunnelwatch.telemetry;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.remedy.RemedyResult;

/**
 * The {@code tunnel}-labelled series: one collector per metric family in the Prometheus
 * registry, each walking every {@link TunnelSeries} when scraped, instead of a Micrometer meter
 * per series (about fifty per tunnel; see {@link TunnelSeries} for why). Names, labels, HELP
 * texts and types are what the Micrometer meters exported, so the scrape is the same:
 *
 * <pre>
 * tunnelwatch_tunnel_state{state="up",tunnel="sg1-sgcentral"} 1.0
 * tunnelwatch_probes_total{result="success",target="203.0.113.1",tunnel="sg1-sgcentral"} 42.0
 * tunnelwatch_probe_rtt_seconds_bucket{target="203.0.113.1",tunnel="sg1-sgcentral",le="0.005"} 42
 * tunnelwatch_probe_rtt_seconds_max{target="203.0.113.1",tunnel="sg1-sgcentral"} 0.0015
 * tunnelwatch_ike_sa_established_seconds{tunnel="sg1-sgcentral"} 3600.0
 * tunnelwatch_child_sa_inbound_idle_seconds{tunnel="sg1-sgcentral"} 0.0
 * </pre>
 *
 * <p>Series that appear only once there is something to say: the SA ages with the tunnel's first
 * round whose SAs could be read (NaN inbound idle while unknown), skipped rounds with the first
 * skip, and a rung's {@code remediation_duration_seconds} with its first action that ran.
 *
 * <p>Thread-safe: each value is read under its tunnel's lock; the set of tunnels is a concurrent
 * view, so a tunnel added or removed by a reload shows in the next scrape.
 */
final class TunnelFamilies {

  private static final String TUNNEL = MetricNames.TAG_TUNNEL;
  private final Collection<TunnelSeries> tunnels;
  private final LongSupplier wallMillis;
  private final PrometheusRegistry registry;

  TunnelFamilies(Collection<TunnelSeries> tunnels, LongSupplier wallMillis, PrometheusRegistry registry) {
    this.tunnels = tunnels;
    this.wallMillis = wallMillis;
    this.registry = registry;
  }

  /** Registers every family; once, when the agent starts. */
  void register() {
    tunnelGauges();
    tunnelCounters();
    saAges();
    probes();
    remediations();
    lag();
  }

  private void tunnelGauges() {
    gauge(MetricNames.TUNNEL_UP, "1 while the tunnel carries traffic (up or degraded)", t -> t.state.carriesTraffic() ? 1 : 0);
    GaugeWithCallback.builder()
        .name(prometheusName(MetricNames.TUNNEL_STATE))
        .help("1 for the tunnel's current state")
        .labelNames(TUNNEL, MetricNames.TAG_STATE)
        .callback(
            callback -> {
              for (TunnelSeries t : tunnels) {
                TunnelState current;
                synchronized (t) {
                  current = t.state;
                }
                for (TunnelState state : TunnelState.values()) {
                  callback.call(state == current ? 1 : 0, t.name, state.label());
                }
              }
            })
        .register(registry);
    gauge(MetricNames.TUNNEL_LOSS_RATIO, "Echo loss over the health window, 0 to 1", t -> t.loss);
    gauge(MetricNames.TUNNEL_RTT, "Mean echo round-trip time over the health window", t -> t.rttSeconds);
    gauge(MetricNames.LADDER_EXHAUSTED, "1 once every rung of the repair ladder was tried since the tunnel was last up", t -> t.exhausted ? 1 : 0);
    gauge(MetricNames.LAST_STATE_CHANGE, "Unix time of the last change of state, 0 before the first", t -> t.lastChangeSeconds);
    gauge(MetricNames.LAST_DETECTION, "Seconds from the first failed round of the last outage to the change to down", t -> t.detectionSeconds);
    gauge(MetricNames.CHILD_SA_INSTALLED, "1 while the daemon reports the CHILD SA installed", t -> t.saInstalled ? 1 : 0);
  }

  private void tunnelCounters() {
    CounterWithCallback.builder()
        .name(prometheusName(MetricNames.STATE_CHANGES))
        .help("Changes of state, by the state changed to")
        .labelNames(TUNNEL, MetricNames.TAG_STATE)
        .callback(
            callback -> {
              for (TunnelSeries t : tunnels) {
                long[] changes;
                synchronized (t) {
                  changes = t.changes.clone();
                }
                for (TunnelState state : TunnelState.values()) {
                  if (state != TunnelState.UNKNOWN) { // nothing ever changes back to unknown
                    callback.call(changes[state.ordinal()], t.name, state.label());
                  }
                }
              }
            })
        .register(registry);
    counter(MetricNames.DOWN_TIME, "Seconds spent down, counted round by round", t -> t.downSeconds);
    // The daemon's own counters: they only grow, and start again from zero when the SA is
    // replaced at a rekey, which is the reset that rate() and increase() handle.
    String bytesHelp = "Bytes through the current CHILD SA (the daemon's counter; resets when the SA is replaced)";
    String packetsHelp = "Packets through the current CHILD SA (the daemon's counter; resets when the SA is replaced)";
    byDirection(MetricNames.CHILD_SA_BYTES, bytesHelp, t -> t.bytesIn, t -> t.bytesOut);
    byDirection(MetricNames.CHILD_SA_PACKETS, packetsHelp, t -> t.packetsIn, t -> t.packetsOut);
    counter(MetricNames.ROUND_ERRORS, "Probe rounds that failed inside the agent", t -> t.roundErrors);
    counter(MetricNames.COLLATERAL_OUTAGES,
        "Times the tunnel carried traffic and went down under another tunnel's action on what they share",
        t -> t.collateralOutages);
    CounterWithCallback.builder()
        .name(prometheusName(MetricNames.ROUNDS_SKIPPED))
        .help("Scheduled probe rounds skipped because the previous round was still in flight")
        .labelNames(TUNNEL)
        .callback(
            callback -> {
              for (TunnelSeries t : tunnels) {
                long skipped;
                synchronized (t) {
                  skipped = t.roundsSkipped;
                }
                if (skipped > 0) {
                  callback.call(skipped, t.name);
                }
              }
            })
        .register(registry);
  }

  private void saAges() {
    GaugeWithCallback.builder()
        .name(prometheusName(MetricNames.IKE_SA_ESTABLISHED))
        .help("Seconds the tunnel's IKE SA has been established, 0 without one")
        .labelNames(TUNNEL)
        .callback(callback -> eachWithSaAges(t -> t.ikeEstablishedSeconds, callback::call))
        .register(registry);
    GaugeWithCallback.builder()
        .name(prometheusName(MetricNames.CHILD_SA_INBOUND_IDLE))
        .help("Seconds since the tunnel's CHILD SA last received a packet, NaN while unknown")
        .labelNames(TUNNEL)
        .callback(callback -> eachWithSaAges(t -> t.inboundIdleSeconds, callback::call))
        .register(registry);
  }

  private interface TunnelValueSink {
    void call(double value, String... labelValues);
  }

  private void eachWithSaAges(ToDoubleFunction<TunnelSeries> value, TunnelValueSink sink) {
    for (TunnelSeries t : tunnels) {
      boolean known;
      double v;
      synchronized (t) {
        known = t.saAgesKnown;
        v = value.applyAsDouble(t);
      }
      if (known) {
        sink.call(v, t.name);
      }
    }
  }

  private void probes() {
    List<String> labels = List.of(TUNNEL, MetricNames.TAG_TARGET);
    CounterWithCallback.builder()
        .name(prometheusName(MetricNames.PROBES))
        .help("Echo requests sent, by outcome")
        .labelNames(TUNNEL, MetricNames.TAG_TARGET, MetricNames.TAG_RESULT)
        .callback(
            callback -> {
              for (TunnelSeries t : tunnels) {
                synchronized (t) {
                  for (TargetSeries target : t.targets) {
                    callback.call(target.success, t.name, target.label, EchoStatus.SUCCESS.label());
                    callback.call(target.timeout, t.name, target.label, EchoStatus.TIMEOUT.label());
                    callback.call(target.error, t.name, target.label, EchoStatus.ERROR.label());
                  }
                }
              }
            })
        .register(registry);
    String rttHelp = "Echo round-trip time";
    String rtt = prometheusName(MetricNames.PROBE_RTT) + "_seconds";
    histogramWithMax(rtt, rttHelp, labels, (t, histogram) -> {
      for (TargetSeries target : t.targets) {
        histogram.accept(target.rtt, new String[] {target.label});
      }
    });
  }

  private void remediations() {
    CounterWithCallback.builder()
        .name(prometheusName(MetricNames.REMEDIATIONS))
        .help("Repair actions, by outcome")
        .labelNames(TUNNEL, MetricNames.TAG_ACTION, MetricNames.TAG_RESULT)
        .callback(
            callback -> {
              for (TunnelSeries t : tunnels) {
                synchronized (t) {
                  for (RungSeries rung : t.rungs) {
                    for (RemedyResult result : RemedyResult.values()) {
                      callback.call(rung.results[result.ordinal()], t.name, rung.label, result.label());
                    }
                  }
                }
              }
            })
        .register(registry);
    String help = "How long repair actions took, skipped ones excluded";
    String name = prometheusName(MetricNames.REMEDIATION_DURATION) + "_seconds";
    histogramWithMax(name, help, List.of(TUNNEL, MetricNames.TAG_ACTION), (t, histogram) -> {
      for (RungSeries rung : t.rungs) {
        if (rung.duration != null) { // a rung's series appear with its first run
          histogram.accept(rung.duration, new String[] {rung.label});
        }
      }
    });
  }

  private void lag() {
    String help = "How much later than one interval after the previous round a round started";
    String name = prometheusName(MetricNames.ROUND_LAG) + "_seconds";
    histogramWithMax(name, help, List.of(TUNNEL), (t, histogram) -> histogram.accept(t.lag, new String[0]));
  }

  /** A family's histograms of one tunnel, each with its label values after the tunnel's name. */
  @FunctionalInterface
  private interface HistogramsOfTunnel {
    void each(TunnelSeries tunnel, BiConsumer<FixedBucketHistogram, String[]> histogram);
  }

  /**
   * A histogram family and its {@code _max} gauge family (the decaying maximum, as Micrometer's
   * timers had it), labelled {@code labelNames}, the tunnel first.
   */
  private void histogramWithMax(String name, String help, List<String> labelNames, HistogramsOfTunnel histograms) {
    registry.register(
        new HistogramFamily(
            name,
            help,
            labelNames,
            sink -> {
              for (TunnelSeries t : tunnels) {
                synchronized (t) {
                  histograms.each(t, (histogram, more) -> sink.histogram(histogram, withTunnel(t.name, more)));
                }
              }
            }));
    GaugeWithCallback.builder()
        .name(name + "_max")
        .help(help)
        .labelNames(labelNames.toArray(String[]::new))
        .callback(
            callback -> {
              long now = wallMillis.getAsLong();
              for (TunnelSeries t : tunnels) {
                synchronized (t) {
                  histograms.each(t, (histogram, more) -> callback.call(histogram.maxSeconds(now), withTunnel(t.name, more)));
                }
              }
            })
        .register(registry);
  }

  private static String[] withTunnel(String tunnel, String[] more) {
    String[] labels = new String[more.length + 1];
    labels[0] = tunnel;
    System.arraycopy(more, 0, labels, 1, more.length);
    return labels;
  }

  private void gauge(String dottedName, String help, ToDoubleFunction<TunnelSeries> value) {
    GaugeWithCallback.builder()
        .name(prometheusName(dottedName))
        .help(help)
        .labelNames(TUNNEL)
        .callback(callback -> each(value, callback::call))
        .register(registry);
  }

  private void counter(String dottedName, String help, ToDoubleFunction<TunnelSeries> value) {
    CounterWithCallback.builder()
        .name(prometheusName(dottedName))
        .help(help)
        .labelNames(TUNNEL)
        .callback(callback -> each(value, callback::call))
        .register(registry);
  }

  private void byDirection(
      String dottedName, String help, ToDoubleFunction<TunnelSeries> in, ToDoubleFunction<TunnelSeries> out) {
    CounterWithCallback.builder()
        .name(prometheusName(dottedName))
        .help(help)
        .labelNames(TUNNEL, MetricNames.TAG_DIRECTION)
        .callback(
            callback -> {
              for (TunnelSeries t : tunnels) {
                double inValue;
                double outValue;
                synchronized (t) {
                  inValue = in.applyAsDouble(t);
                  outValue = out.applyAsDouble(t);
                }
                callback.call(inValue, t.name, "in");
                callback.call(outValue, t.name, "out");
              }
            })
        .register(registry);
  }

  private void each(ToDoubleFunction<TunnelSeries> value, TunnelValueSink sink) {
    for (TunnelSeries t : tunnels) {
      double v;
      synchronized (t) {
        v = value.applyAsDouble(t);
      }
      sink.call(v, t.name);
    }
  }

  /** Micrometer's dotted name as Prometheus spells it (without the suffixes it adds). */
  static String prometheusName(String dottedName) {
    return dottedName.replace('.', '_');
  }
}
