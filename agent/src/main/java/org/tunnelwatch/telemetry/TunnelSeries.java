package org.tunnelwatch.telemetry;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Every number the agent exports about one tunnel, in one object of primitive fields: the values
 * behind the {@code tunnel}-labelled series, which {@link TunnelFamilies} reads at scrape time.
 *
 * <p>Why not one Micrometer meter per series: a tunnel has about fifty series, and at a thousand
 * tunnels Micrometer's meters (ids, tag lists, maps, timers with histograms) were most of a
 * 38 MB live heap and a visible share of each round's CPU (docs/benchmarks.md). Here a round
 * costs a few field updates under one lock and allocates nothing once the tunnel's targets are
 * known.
 *
 * <p>Thread-safe: every field is guarded by this object's lock. A tunnel's events come from
 * whichever thread moves its round on (one round at a time), its round starts from the scheduler,
 * and scrapes read it from HTTP threads, so the lock is nearly never contended; a scrape holds it
 * only while it copies one family's values of this tunnel.
 */
final class TunnelSeries {

  /** RTT buckets from LAN-like to satellite-like paths. */
  static final FixedBucketHistogram.Bounds RTT_BUCKETS =
      new FixedBucketHistogram.Bounds(
          Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
          Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
          Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500));

  /** Remediations are shell commands and daemon calls: from a tenth of a second to a minute. */
  static final FixedBucketHistogram.Bounds REMEDIATION_BUCKETS =
      new FixedBucketHistogram.Bounds(
          Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
          Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
          Duration.ofSeconds(60));

  /** Rounds late by less than 10 ms are on time; a whole interval late means a skipped round. */
  static final FixedBucketHistogram.Bounds LAG_BUCKETS =
      new FixedBucketHistogram.Bounds(
          Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
          Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));

  /** Makes the histograms, each with its decaying maximum on the agent's clock. */
  interface Histograms {
    FixedBucketHistogram make(FixedBucketHistogram.Bounds bounds);
  }

  final String name;
  private final Histograms histograms;

  // All guarded by this.
  TunnelState state = TunnelState.UNKNOWN;
  /** Changes of state, by {@link TunnelState#ordinal()} of the state changed to. */
  final long[] changes = new long[TunnelState.values().length];
  double loss;
  double rttSeconds;
  boolean exhausted;
  double lastChangeSeconds;
  double detectionSeconds;
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
  final FixedBucketHistogram lag;
  TargetSeries[] targets;
  RungSeries[] rungs;
  private TunnelState lastRoundState = TunnelState.UNKNOWN;
  private long lastRoundNanos = -1;
  private long lastRoundStartNanos = -1;

  TunnelSeries(String name, List<InetAddress> targets, List<RemedyAction> ladder, Histograms histograms) {
    this.name = name;
    this.histograms = histograms;
    this.lag = histograms.make(LAG_BUCKETS);
    this.targets = new TargetSeries[0];
    this.rungs = new RungSeries[0];
    reconfigure(targets, ladder);
  }

  /**
   * After a reload: targets that stay keep their counts, removed ones are dropped, new ones start
   * at zero. Rungs are only added: a rung's counts stay when it leaves the ladder, as its
   * counters did with Micrometer.
   */
  synchronized void reconfigure(List<InetAddress> addresses, List<RemedyAction> ladder) {
    TargetSeries[] next = new TargetSeries[addresses.size()];
    for (int i = 0; i < next.length; i++) {
      TargetSeries kept = target(addresses.get(i));
      next[i] = kept != null ? kept : newTarget(addresses.get(i));
    }
    targets = next;
    for (RemedyAction action : ladder) {
      rung(action);
    }
  }

  /** A round was judged: the echoes, the window, the state, the SAs. */
  synchronized void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy, long nowMillis) {
    List<EchoResult> echoes = round.echoes();
    for (int i = 0; i < echoes.size(); i++) {
      countEcho(echoes.get(i), nowMillis);
    }
    loss = health.window().lossRatio();
    rttSeconds = health.window().meanRtt().toNanos() / 1e9;
    state = health.state();
    exhausted = remedy.exhausted();
    countDownTime(round.sample().atNanos(), health.state());
    if (round.sa().isPresent()) {
      showSa(round.sa().get());
    } else {
      saInstalled = false;
    }
  }

  private void countEcho(EchoResult echo, long nowMillis) {
    TargetSeries target = target(echo.target());
    if (target == null) { // not configured: counted all the same, as before
      target = newTarget(echo.target());
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
      target.rtt.record(rtts.get(i).toNanos(), nowMillis);
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
    }
  }

  synchronized void remedied(RemedyAction action, RemedyResult result, Duration took, long nowMillis) {
    RungSeries rung = rung(action);
    rung.results[result.ordinal()]++;
    if (result != RemedyResult.SKIPPED) {
      if (rung.duration == null) {
        rung.duration = histograms.make(REMEDIATION_BUCKETS);
      }
      rung.duration.record(took.toNanos(), nowMillis);
    }
  }

  /** A round starts: its lag is the time since the previous start less one interval. */
  synchronized void roundStarting(long nowNanos, long intervalNanos, long nowMillis) {
    if (lastRoundStartNanos >= 0) {
      lag.record(Math.max(0, nowNanos - lastRoundStartNanos - intervalNanos), nowMillis);
    }
    lastRoundStartNanos = nowNanos;
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

  private TargetSeries newTarget(InetAddress address) {
    return new TargetSeries(address, IpAddresses.toText(address), histograms.make(RTT_BUCKETS));
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
