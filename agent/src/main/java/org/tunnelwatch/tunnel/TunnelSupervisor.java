package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.health.DataPlane;
import org.tunnelwatch.health.HealthMachine;
import org.tunnelwatch.health.HealthPolicy;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.ActionRunner;
import org.tunnelwatch.remedy.Decision;
import org.tunnelwatch.remedy.RemedyInput;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyPlan;
import org.tunnelwatch.remedy.RemedyPlanner;
import org.tunnelwatch.remedy.RemedyPolicy;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.time.TimeSource;

/**
 * Watches one tunnel: each call of {@link #runRound()} probes it, feeds the health state
 * machine, asks the planner what to do, does it, and reports. The only place where the pure
 * decisions meet the edges.
 *
 * <p>When the daemon has reported the tunnel's SA gone ({@link #reportSaGone}), the next round
 * reads the SAs first; if the CHILD SA is indeed not installed, the tunnel is down at once and
 * the round skips the echoes, which could not pass anyway, so the repair starts without delay.
 *
 * <p>Thread-safety: {@link #runRound()}, {@link #runRoundAndConfirm()} and {@link #continueFrom}
 * hold the supervisor's lock, so a reload that hands a tunnel's state to its successor waits for
 * a running round (and its confirmation rounds); {@link #status()} and {@link #reportSaGone} may
 * be called from any thread.
 */
public final class TunnelSupervisor {

  private final TunnelConfig tunnel;
  private final Collaborators with;
  private final HealthMachine health;
  private final RemedyPlanner planner;

  private HealthState healthState;
  private RemedyState remedyState = RemedyState.initial();
  private volatile TunnelStatus status;
  private TunnelStatus.LastAction lastAction;
  private Optional<ChildSa> previousChild = Optional.empty();
  private final AtomicReference<String> saGoneReport = new AtomicReference<>();

  /**
   * What every supervisor shares.
   *
   * @param prober sends the echoes
   * @param uplinks reads uplink state
   * @param sas reads the daemon's SAs
   * @param actions carries out repairs
   * @param serviceRestarts when the service was last restarted
   * @param events where to report
   * @param time the clocks
   */
  public record Collaborators(
      RoundProber prober,
      UplinkMonitor uplinks,
      SaReader sas,
      ActionRunner actions,
      ServiceRestarts serviceRestarts,
      TunnelEvents events,
      TimeSource time) {}

  public TunnelSupervisor(TunnelConfig tunnel, Collaborators with) {
    this.tunnel = tunnel;
    this.with = with;
    this.health = new HealthMachine(HealthPolicy.from(tunnel.settings()));
    this.planner = new RemedyPlanner(RemedyPolicy.from(tunnel.settings()));
    this.healthState = HealthState.initial(with.time().monotonicNanos());
    this.status = statusOf(null, healthState, "waiting for the first round", false);
  }

  public TunnelConfig config() {
    return tunnel;
  }

  public TunnelStatus status() {
    return status;
  }

  /**
   * Takes over what {@code previous} (the same tunnel under the configuration before a reload)
   * has learnt: health, repair ladder position, rate-limit history and last action, so that a
   * reload neither forgets a down tunnel nor lets it repair again before its settle time. The new
   * settings apply from the next round. Call before this supervisor's first round.
   */
  public void continueFrom(TunnelSupervisor previous) {
    HealthState health;
    RemedyState remedy;
    TunnelStatus.LastAction action;
    TunnelStatus shown;
    Optional<ChildSa> child;
    synchronized (previous) {
      child = previous.previousChild;
      health = previous.healthState;
      remedy = previous.remedyState;
      action = previous.lastAction;
      shown = previous.status;
    }
    synchronized (this) {
      healthState = health;
      remedyState = remedy;
      lastAction = action;
      status = shown;
      previousChild = child;
    }
  }

  /**
   * Starts from a remediation history kept across restarts of the agent (see {@code
   * state.HistoryRecorder}): the times of the actions in the last hour, for the hourly limit, and
   * of the last attempt, for the settle time, in this process's monotonic time. The ladder starts
   * from its first rung. Call before the first round.
   */
  public synchronized void restoreHistory(List<Long> actionTimesNanos, OptionalLong lastAttemptNanos) {
    remedyState = new RemedyState(0, lastAttemptNanos, actionTimesNanos, false, false);
  }

  /**
   * Notes that the daemon reported this tunnel's SA gone; the next round checks it first. Call
   * {@code runNow} for the round afterwards.
   */
  public void reportSaGone(String what) {
    saGoneReport.set(what);
  }

  /** One round: probe, judge, repair if needed, report. */
  public synchronized void runRound() {
    String reported = saGoneReport.getAndSet(null);
    if (reported != null) {
      with.sas().invalidate(); // the cached answer predates the report
      TunnelRound check = observeSasOnly();
      if (check.sa().isPresent() && !check.sa().get().childInstalled()) {
        String why = reported + " and the daemon lists no installed CHILD SA " + tunnel.child();
        judge(check, health.saGone(healthState, check.sample(), why));
        return;
      }
      // Back already (or unreadable): an ordinary round decides.
    }
    TunnelRound round = observe();
    judge(round, health.next(healthState, round.sample()));
  }

  private void judge(TunnelRound round, HealthState next) {
    HealthState before = healthState;
    healthState = next;
    if (healthState.state() != before.state()) {
      with.events().stateChanged(tunnel.name(), before, healthState);
    }
    Optional<ChildSa> child = round.sa().flatMap(SaStatus::child);
    boolean dataPlaneDead = DataPlane.dead(previousChild, child, round.sample().failed());
    if (round.sa().isPresent()) {
      previousChild = child;
    }
    RemedyPlan plan =
        planner.plan(
            remedyState,
            new RemedyInput(
                healthState.state(),
                round.sample().failed(),
                round.uplinkUp(),
                round.sample().atNanos(),
                with.serviceRestarts().last(),
                with.sas().backendReachable(),
                round.sa().map(SaStatus::ikeConnecting).orElse(false)));
    remedyState = plan.next();
    carryOut(plan.decision()).ifPresent(result -> remedyState = planner.afterOutcome(remedyState, result));
    status = statusOf(round, healthState, plan.decision().reason(), dataPlaneDead);
    with.events().roundCompleted(round, healthState, remedyState);
  }

  /**
   * One round and, while the tunnel is suspect (its latest round failed but it is not down yet),
   * further rounds straight away, {@code down-after} rounds in all at most. A tunnel that really
   * is dead is so called down after {@code down-after} rounds back to back rather than after as
   * many intervals, which is most of the time to detection; a tunnel that answers costs one
   * round per interval as before. The rule for calling it down is unchanged: {@code down-after}
   * consecutive rounds without any reply, so random loss is no likelier to trip it.
   */
  public synchronized void runRoundAndConfirm() {
    runRound();
    for (int extra = 1; extra < health.downAfter() && isSuspect(); extra++) {
      runRound();
    }
  }

  private boolean isSuspect() {
    return healthState.failedStreak() > 0 && healthState.state() != TunnelState.DOWN;
  }

  /** A round that only reads the SAs: no echo sent, so it counts as failed. */
  private TunnelRound observeSasOnly() {
    Optional<LinkState> uplink = tunnel.uplink().flatMap(with.uplinks()::check);
    SaReading sas = readSas();
    long now = with.time().monotonicNanos();
    return new TunnelRound(tunnel.name(), with.time().now(), List.of(), uplink, sas.status(), sas.error(), new RoundSample(now, 0, 0, 0));
  }

  /** Runs one probe round without judging it: for {@code tunnelwatch probe}. */
  public TunnelRound observe() {
    Optional<LinkState> uplinkBefore = tunnel.uplink().flatMap(with.uplinks()::check);
    List<EchoResult> echoes = with.prober().probe(tunnel);
    Optional<LinkState> uplinkAfter = tunnel.uplink().flatMap(with.uplinks()::check);
    // The echoes need the uplink for their whole flight: a round with the uplink down at either
    // end is an uplink-down round. Otherwise echoes lost just before the uplink came back would
    // read as "uplink back and the tunnel still broken" and trigger a needless repair.
    Optional<LinkState> uplink = uplinkBefore.filter(s -> !s.isUp()).or(() -> uplinkAfter);
    SaReading sas = readSas();
    long now = with.time().monotonicNanos();
    return new TunnelRound(tunnel.name(), with.time().now(), echoes, uplink, sas.status(), sas.error(), sample(echoes, now));
  }

  /** The daemon's view of this tunnel's SAs, or why it could not be had. */
  private record SaReading(Optional<SaStatus> status, Optional<String> error) {}

  private SaReading readSas() {
    try {
      return new SaReading(Optional.of(SaStatus.of(with.sas().read(), tunnel.ike(), tunnel.child())), Optional.empty());
    } catch (BackendException e) {
      return new SaReading(Optional.empty(), Optional.of(e.getMessage()));
    }
  }

  /** Carries out an action or reports a skip; returns the result of what was done, if anything. */
  private Optional<RemedyResult> carryOut(Decision decision) {
    RemedyOutcome outcome;
    if (decision instanceof Decision.Act act) {
      for (var skipped : act.passedOver()) { // the daemon does not answer; see RemedyPlanner
        RemedyOutcome passed = new RemedyOutcome(skipped, RemedyResult.SKIPPED, "the IPsec daemon does not answer", Duration.ZERO);
        with.events().remedied(tunnel.name(), passed, decision.reason());
      }
      outcome = with.actions().run(tunnel.ike(), tunnel.child(), act.action());
      if (act.action().isGatewayWide() && outcome.result() != RemedyResult.SKIPPED) {
        with.serviceRestarts().recordAt(with.time().monotonicNanos());
      }
      with.sas().invalidate();
    } else if (decision instanceof Decision.Skip skip) {
      outcome = new RemedyOutcome(skip.action(), RemedyResult.SKIPPED, skip.reason(), Duration.ZERO);
    } else {
      return Optional.empty();
    }
    lastAction =
        new TunnelStatus.LastAction(
            outcome.action().configName(),
            outcome.result().label(),
            TunnelStatus.iso(with.time().now()),
            outcome.detail());
    with.events().remedied(tunnel.name(), outcome, decision.reason());
    return Optional.of(outcome.result());
  }

  private static RoundSample sample(List<EchoResult> echoes, long now) {
    int sent = 0;
    int received = 0;
    long rttSum = 0;
    for (EchoResult echo : echoes) {
      sent += echo.sent();
      received += echo.received();
      for (Duration rtt : echo.rtts()) {
        rttSum += rtt.toNanos();
      }
    }
    return new RoundSample(now, sent, received, rttSum);
  }

  private TunnelStatus statusOf(TunnelRound round, HealthState h, String remedy, boolean dataPlaneDead) {
    long sinceAgo = with.time().monotonicNanos() - h.sinceNanos();
    String since = TunnelStatus.iso(with.time().now().minusNanos(sinceAgo));
    return new TunnelStatus(
        tunnel.name(),
        h.state().label(),
        since,
        h.reason(),
        h.window().lossRatio(),
        h.window().meanRtt().toNanos() / 1e9,
        tunnel.uplink().orElse(null),
        round == null || round.uplinkUp(),
        round == null
            ? "not read yet"
            : round.sa().map(SaStatus::describe).map(d -> dataPlaneDead ? d + ", nothing coming in" : d)
                .orElseGet(() -> "unreadable: " + round.saError().orElse("")),
        remedy,
        lastAction,
        remedyState.exhausted(),
        round == null ? null : round.probeError().orElse(null));
  }
}
