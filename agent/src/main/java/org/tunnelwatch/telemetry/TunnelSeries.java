package org.tunnelwatch.telemetry;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Every number the agent exports about one tunnel, in primitive fields: the values behind the
 * {@code tunnel}-labelled series, read by {@link TunnelFamilies} at scrape time. A round costs a
 * few field updates under one lock and allocates nothing once the tunnel's targets are known
 * (why not a Micrometer meter per series: docs/benchmarks.md).
 *
 * <p>Thread-safe: every field is guarded by this object's lock; scrapes hold it only while they
 * copy one family's values of this tunnel.
 */
final class TunnelSeries {

  final String name;
  private final TunnelHistograms histograms;

  // All guarded by this.
  TunnelState state = TunnelState.UNKNOWN;
  /** Changes of state, by {@link TunnelState#ordinal()} of the state changed to. */
  final long[] changes = new long[TunnelState.values().length];
  /** NaN while unknown: before the first round, and RTT without a reply in the window. */
  double loss = Double.NaN;
  double rttSeconds = Double.NaN;
  boolean exhausted;
  double lastChangeSeconds;
  double detectionSeconds;
  double detectionSecondsTotal;
  double downSeconds;
  boolean saInstalled;
  long bytesIn;
  long bytesOut;
  long packetsIn;
  long packetsOut;
  /** Whether a round read the SAs yet: the SA ages appear with the first that did. */
  boolean saAgesKnown;
  double ikeEstablishedSeconds;
  double inboundIdleSeconds = Double.NaN;
  long roundErrors;
  long collateralOutages;
  long roundsSkipped;
  long echoesSaved;
  private final BucketHistogram lag;
  TargetSeries[] targets;
  RungSeries[] rungs;
  private TunnelState lastRoundState = TunnelState.UNKNOWN;
  private long lastRoundNanos = -1;
  private long lastRoundStartNanos = -1;

  TunnelSeries(String name, List<ProbeTarget> targets, List<RemedyAction> ladder, TunnelHistograms histograms) {
    this.name = name;
    this.histograms = histograms;
    this.lag = histograms.lag(name);
    this.targets = new TargetSeries[0];
    this.rungs = new RungSeries[0];
    reconfigure(targets, ladder);
  }

  /**
   * After a reload: targets that stay keep their counts, removed ones are dropped, new ones start
   * at zero. Rungs are only added: a rung's counts stay when it leaves the ladder, as its
   * counters did with Micrometer.
   */
  synchronized void reconfigure(List<ProbeTarget> probed, List<RemedyAction> ladder) {
    TargetSeries[] next = new TargetSeries[probed.size()];
    Set<String> labels = new HashSet<>();
    for (int i = 0; i < next.length; i++) {
      ProbeTarget target = probed.get(i);
      labels.add(target.label());
      TargetSeries kept = labelled(target.label());
      next[i] = kept != null ? kept : newTarget(target.address(), target.label());
    }
    for (TargetSeries old : targets) {
      if (!labels.contains(old.label)) {
        histograms.forgetTarget(name, old.label);
      }
    }
    targets = next;
    for (RemedyAction action : ladder) {
      rung(action);
    }
  }

  /** A round was judged: the echoes, the window, the state, the SAs. */
  synchronized void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    List<EchoResult> echoes = round.echoes();
    for (int i = 0; i < echoes.size(); i++) {
      countEcho(i, echoes.get(i));
    }
    echoesSaved += round.sample().savedByTraffic();
    loss = health.window().lossRatio();
    rttSeconds = health.window().meanRttSeconds();
    state = health.state();
    exhausted = remedy.exhausted();
    countDownTime(round.sample().atNanos(), health.state());
    if (round.sa().isPresent()) {
      showSa(round.sa().get());
    } else {
      saInstalled = false;
    }
  }

  /**
   * Counts the {@code index}th echo of a round. Echoes come in the order of the targets, which
   * tells two probes of one address apart (tcp and udp); after a reload the order may have
   * changed, so an echo whose address is not the target's at its place is matched by address.
   */
  private void countEcho(int index, EchoResult echo) {
    TargetSeries target =
        index < targets.length && targets[index].address.equals(echo.target()) ? targets[index] : target(echo.target());
    if (target == null) { // not configured: counted all the same, as before
      target = newTarget(echo.target(), IpAddresses.toText(echo.target()));
      targets = appended(targets, target);
    }
    if (echo.status() == EchoStatus.ERROR) {
      target.error += Math.max(1, echo.sent());
      return;
    }
    target.success += echo.received();
    target.timeout += echo.sent() - echo.received();
    List<Duration> rtts = echo.rtts();
    for (int i = 0; i < rtts.size(); i++) {
      target.rtt.observe(seconds(rtts.get(i)));
    }
  }

  /**
   * Adds the time since the previous round if the tunnel was down through it: down time is
   * counted from the change to down (detection excluded) to the change back, to within a round.
   */
  private void countDownTime(long nowNanos, TunnelState now) {
    if (lastRoundState == TunnelState.DOWN && lastRoundNanos >= 0) {
      downSeconds += (nowNanos - lastRoundNanos) / 1e9;
    }
    lastRoundState = now;
    lastRoundNanos = nowNanos;
  }

  /**
   * The daemon's counters of the current CHILD SA and the SAs' ages. An unreadable daemon leaves
   * the counters as they were but clears "installed": nothing says it still is.
   */
  private void showSa(SaStatus sa) {
    saInstalled = sa.childInstalled();
    ChildSa child = sa.child().orElse(null);
    bytesIn = child == null ? 0 : child.bytesIn();
    bytesOut = child == null ? 0 : child.bytesOut();
    packetsIn = child == null ? 0 : child.packetsIn();
    packetsOut = child == null ? 0 : child.packetsOut();
    saAgesKnown = true;
    IkeSa ike = sa.ike().orElse(null);
    ikeEstablishedSeconds =
        ike != null && ike.established() && ike.establishedSeconds().isPresent()
            ? ike.establishedSeconds().getAsLong()
            : 0.0;
    inboundIdleSeconds =
        child != null && child.installed() && child.inboundIdleSeconds().isPresent()
            ? child.inboundIdleSeconds().getAsLong()
            : Double.NaN;
  }

  synchronized void stateChanged(HealthState to, double wallSeconds) {
    state = to.state();
    changes[to.state().ordinal()]++;
    lastChangeSeconds = wallSeconds;
    if (to.state() == TunnelState.DOWN) {
      detectionSeconds = to.detectionNanos() / 1e9;
      detectionSecondsTotal += detectionSeconds;
    }
  }

  synchronized void remedied(RemedyAction action, RemedyResult result, Duration took) {
    RungSeries rung = rung(action);
    rung.results[result.ordinal()]++;
    if (result != RemedyResult.SKIPPED && !took.isNegative()) {
      if (rung.duration == null) {
        rung.duration = histograms.remediationDuration(name, rung.label);
      }
      rung.duration.observe(seconds(took));
    }
  }

  /** A round starts: its lag is the time since the previous start less one interval. */
  synchronized void roundStarting(long nowNanos, long intervalNanos) {
    if (lastRoundStartNanos >= 0) {
      lag.observe(Math.max(0, nowNanos - lastRoundStartNanos - intervalNanos) / 1e9);
    }
    lastRoundStartNanos = nowNanos;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  synchronized void roundError() {
    roundErrors++;
  }

  synchronized void collateralOutage() {
    collateralOutages++;
  }

  synchronized void roundSkipped() {
    roundsSkipped++;
  }

  private TargetSeries target(InetAddress address) {
    for (TargetSeries target : targets) {
      if (target.address.equals(address)) {
        return target;
      }
    }
    return null;
  }

  private TargetSeries labelled(String label) {
    for (TargetSeries target : targets) {
      if (target.label.equals(label)) {
        return target;
      }
    }
    return null;
  }

  private TargetSeries newTarget(InetAddress address, String label) {
    return new TargetSeries(address, label, histograms.rtt(name, label));
  }

  private RungSeries rung(RemedyAction action) {
    for (RungSeries rung : rungs) {
      if (rung.action == action) {
        return rung;
      }
    }
    RungSeries rung = new RungSeries(action);
    rungs = appended(rungs, rung);
    return rung;
  }

  /** A copy of {@code array} with {@code element} after its last. */
  private static <T> T[] appended(T[] array, T element) {
    T[] more = Arrays.copyOf(array, array.length + 1);
    more[array.length] = element;
    return more;
  }
}
