package org.tunnelwatch.telemetry;

import java.util.Collection;
import java.util.function.ToDoubleFunction;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.remedy.RemedyResult;

/**
 * The {@code tunnel}-labelled gauges and counters: one callback family ({@link CallbackFamily},
 * written to {@code /metrics} without the client's snapshot) per metric among the {@link
 * StreamedFamilies}, each walking every {@link TunnelSeries} when scraped. The histograms are in
 * {@link TunnelHistograms}.
 *
 * <p>Series that appear only once there is something to say: loss once an echo was attempted,
 * RTT while the window holds a reply, the SA ages with the tunnel's first round whose SAs could be
 * read (NaN inbound idle while unknown) and skipped rounds with the first skip.
 *
 * <p>Thread-safe: each value is read under its tunnel's lock; the set of tunnels is a concurrent
 * view, so a tunnel added or removed by a reload shows in the next scrape.
 */
final class TunnelFamilies {

  private static final String TUNNEL = MetricNames.TAG_TUNNEL;
  private final Collection<TunnelSeries> tunnels;
  private final StreamedFamilies families;

  TunnelFamilies(Collection<TunnelSeries> tunnels, StreamedFamilies families) {
    this.tunnels = tunnels;
    this.families = families;
  }

  /** Adds every family to the streamed ones; once, when the agent starts. */
  void addAll() {
    tunnelGauges();
    tunnelCounters();
    saAges();
    probes();
    remediations();
  }

  private void tunnelGauges() {
    gauge(MetricNames.TUNNEL_UP, "1 while the tunnel carries traffic (up or degraded)", t -> t.state.carriesTraffic() ? 1 : 0);
    families.add(CallbackFamily.gauge(
        MetricNames.TUNNEL_STATE,
        "1 for the tunnel's current state",
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
        },
        TUNNEL, MetricNames.TAG_STATE));
    gaugeWhileKnown(MetricNames.TUNNEL_LOSS_RATIO,
        "Share of the echoes attempted over the health window that got no reply (unsendable ones count), 0 to 1",
        t -> t.loss);
    gaugeWhileKnown(MetricNames.TUNNEL_RTT, "Mean echo round-trip time over the health window, absent without replies", t -> t.rttSeconds);
    gauge(MetricNames.LADDER_EXHAUSTED, "1 once every rung of the repair ladder was tried since the tunnel was last up", t -> t.exhausted ? 1 : 0);
    gauge(MetricNames.LAST_STATE_CHANGE, "Unix time of the last change of state, 0 before the first", t -> t.lastChangeSeconds);
    gauge(MetricNames.LAST_DETECTION, "Seconds from the first failed round of the last outage to the change to down", t -> t.detectionSeconds);
    gauge(MetricNames.CHILD_SA_INSTALLED, "1 while the daemon reports the CHILD SA installed", t -> t.saInstalled ? 1 : 0);
  }

  private void tunnelCounters() {
    families.add(CallbackFamily.counter(
        MetricNames.STATE_CHANGES,
        "Changes of state, by the state changed to",
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
        },
        TUNNEL, MetricNames.TAG_STATE));
    counter(MetricNames.DOWN_TIME, "Seconds spent down, counted round by round", t -> t.downSeconds);
    counter(MetricNames.DETECTION_TIME, "Seconds from the first failed round to the change to down, summed over outages", t -> t.detectionSecondsTotal);
    // The daemon's own counters: they only grow, and start again from zero when the SA is
    // replaced at a rekey, which is the reset that rate() and increase() handle.
    String bytesHelp = "Bytes through the current CHILD SA (the daemon's counter; resets when the SA is replaced)";
    String packetsHelp = "Packets through the current CHILD SA (the daemon's counter; resets when the SA is replaced)";
    byDirection(MetricNames.CHILD_SA_BYTES, bytesHelp, t -> t.bytesIn, t -> t.bytesOut);
    byDirection(MetricNames.CHILD_SA_PACKETS, packetsHelp, t -> t.packetsIn, t -> t.packetsOut);
    counter(MetricNames.ROUND_ERRORS, "Probe rounds that failed inside the agent", t -> t.roundErrors);
    counter(MetricNames.ECHOES_SAVED, "Echoes not sent because traffic through the CHILD SA proved the round", t -> t.echoesSaved);
    counter(MetricNames.COLLATERAL_OUTAGES,
        "Times the tunnel carried traffic and went down under another tunnel's action on what they share",
        t -> t.collateralOutages);
    families.add(CallbackFamily.counter(
        MetricNames.ROUNDS_SKIPPED,
        "Scheduled probe rounds skipped because the previous round was still in flight",
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
        },
        TUNNEL));
  }

  private void saAges() {
    families.add(CallbackFamily.gauge(
        MetricNames.IKE_SA_ESTABLISHED,
        "Seconds the tunnel's IKE SA has been established, 0 without one",
        callback -> eachWithSaAges(t -> t.ikeEstablishedSeconds, callback),
        TUNNEL));
    families.add(CallbackFamily.gauge(
        MetricNames.CHILD_SA_INBOUND_IDLE,
        "Seconds since the tunnel's CHILD SA last received a packet, NaN while unknown",
        callback -> eachWithSaAges(t -> t.inboundIdleSeconds, callback),
        TUNNEL));
  }

  private void eachWithSaAges(ToDoubleFunction<TunnelSeries> value, CallbackFamily.Sink sink) {
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
    families.add(CallbackFamily.counter(
        MetricNames.PROBES,
        "Echo requests sent, by outcome",
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
        },
        TUNNEL, MetricNames.TAG_TARGET, MetricNames.TAG_RESULT));
  }

  private void remediations() {
    families.add(CallbackFamily.counter(
        MetricNames.REMEDIATIONS,
        "Repair actions, by outcome",
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
        },
        TUNNEL, MetricNames.TAG_ACTION, MetricNames.TAG_RESULT));
  }

  private void gauge(String name, String help, ToDoubleFunction<TunnelSeries> value) {
    families.add(CallbackFamily.gauge(
        name,
        help,
        callback -> each(value, callback),
        TUNNEL));
  }

  /**
   * A gauge whose series is absent while its value is NaN (unknown): a NaN sample would poison
   * every avg() and max() over the fleet, and a 0 would claim a perfect tunnel.
   */
  private void gaugeWhileKnown(String name, String help, ToDoubleFunction<TunnelSeries> value) {
    families.add(CallbackFamily.gauge(
        name,
        help,
        callback -> each(value, (v, labels) -> {
          if (!Double.isNaN(v)) {
            callback.call(v, labels);
          }
        }),
        TUNNEL));
  }

  private void counter(String name, String help, ToDoubleFunction<TunnelSeries> value) {
    families.add(CallbackFamily.counter(
        name,
        help,
        callback -> each(value, callback),
        TUNNEL));
  }

  private void byDirection(
      String name, String help, ToDoubleFunction<TunnelSeries> in, ToDoubleFunction<TunnelSeries> out) {
    families.add(CallbackFamily.counter(
        name,
        help,
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
        },
        TUNNEL, MetricNames.TAG_DIRECTION));
  }

  private void each(ToDoubleFunction<TunnelSeries> value, CallbackFamily.Sink sink) {
    for (TunnelSeries t : tunnels) {
      double v;
      synchronized (t) {
        v = value.applyAsDouble(t);
      }
      sink.call(v, t.name);
    }
  }
}
