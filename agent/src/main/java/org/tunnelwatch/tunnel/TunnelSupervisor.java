package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.DataPlane;
import org.tunnelwatch.health.HealthMachine;
import org.tunnelwatch.health.HealthPolicy;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.InboundTraffic;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.health.TargetsRule;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.SourceAddresses;
import org.tunnelwatch.remedy.ActionRunner;
import org.tunnelwatch.remedy.Decision;
import org.tunnelwatch.remedy.RemedyInput;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyPlan;
import org.tunnelwatch.remedy.RemedyPlanner;
import org.tunnelwatch.remedy.RemedyPolicy;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.remedy.PassedOver;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyInput.SaFacts;
import org.tunnelwatch.remedy.RepairScope;
import org.tunnelwatch.remedy.RepairTarget;
import org.tunnelwatch.remedy.SharedView;
import org.tunnelwatch.time.TimeSource;

/**
 * Watches one tunnel: each round probes it, feeds the health state machine, asks the planner what
 * to do, does it, and reports. The only place where the pure decisions meet the edges.
 *
 * <p>Rounds are asynchronous: {@link #startRound()} submits the echoes and returns; judging runs
 * on the judging executor and an action on the repair executor, apart from the rounds, so a slow
 * repair holds up no other tunnel and not this tunnel's rounds, which plan nothing while it runs.
 * A round and its confirmation rounds (while the tunnel is suspect) count as one round in flight;
 * a tunnel never has two ({@link #startRound()} then returns false, {@link #startRoundSoon()} is
 * remembered). After {@link #reportSaGone} the next round reads the SAs first and calls the tunnel
 * down at once if its CHILD SA is gone. A round whose echoes could not be sent because the source
 * address is not on the host makes the tunnel unknown and is never acted on.
 *
 * <p>Thread-safe; listeners are called outside the supervisor's lock.
 */
public final class TunnelSupervisor {

  private final TunnelConfig tunnel;
  private final Collaborators with;
  private final RoundListener listener;
  private final HealthMachine health;
  private final RemedyPlanner planner;
  private final List<EchoRequest> requests;
  /** The echoes a round sends: what a round proven by traffic saves. */
  private final int echoesPerRound;

  private HealthState healthState;
  private RemedyState remedyState = RemedyState.initial();
  /**
   * What the status report is made of, as of the last round: the report itself is built only
   * when asked for (the API, {@code tunnelwatch status}), not after each of a thousand rounds a
   * second.
   */
  private volatile Shown shown;
  private TunnelStatus.LastAction lastAction;
  private Optional<ChildSa> previousChild = Optional.empty();
  /** The reading {@link #previousChild} comes from: rounds may share one (see SaReader). */
  private SaStatus previousSa;
  /**
   * Echo replies that {@link #previousChild}'s reading may not include: those of every round that
   * judged by it, and of the round before (a shared reading can be older than a round's replies).
   * Traffic must exceed them.
   */
  private int repliesSincePreviousChild;
  private int lastRoundReplies;
  /** How the action in flight ended, for the coordinator (written and read on the repair thread). */
  private RemedyResult lastOutcomeResult = RemedyResult.SKIPPED;
  /**
   * Why nothing is done after a round whose echoes could not be sent: a repair cannot cure the
   * probing, and the restart of the service at the ladder's top would cut every tunnel.
   */
  private static final String NOT_ACTING_UNSENT = "no echo could be sent, so the round says nothing about the tunnel: not acting";
  /** Why nothing is done after a round that ends once the supervisor is stopped. */
  private static final String NOT_ACTING_STOPPED = "the agent is stopping or reloading: no action is started";
  /** What {@link #carryOut} returns for an action it held back; see {@link #held}. */
  private static final RemedyOutcome HELD = new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.SKIPPED, "held", Duration.ZERO);
  /**
   * The action held back and why, while the hold lasts (repair thread only, one round at a time):
   * said once when it begins, not at every round it lasts (the reason's figures vary).
   */
  private RemedyAction heldAction;
  private String heldBecause;
  private final AtomicReference<String> saGoneReport = new AtomicReference<>();
  /** The SA reader's last answer for this tunnel and what this supervisor made of it (see readSas). */
  private List<IkeSa> lastSaAnswer;
  private SaReading lastSaReading;
  /** Whether a reading ever listed the CHILD SA installed (see {@link EchoesAroundTheSa}). */
  private boolean childSeenInstalled;

  // Guarded by this: the round in flight, the repair under way (null if none), and what may
  // start next.
  private boolean inFlight;
  private RemedyAction repairing;
  private boolean runAgain;
  private boolean stopped;

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
   * @param judging runs the part of a round after the echoes (SA read, judging, planning); a few
   *     threads, never the prober's
   * @param repairs runs the actions, which may block for seconds
   * @param coordinator decides repairs of what tunnels share (an IKE SA, the daemon) once for all
   * @param peers asks a peer whether it answers IKE before its IKE SA is torn down
   */
  public record Collaborators(
      RoundProber prober,
      UplinkMonitor uplinks,
      SaReader sas,
      ActionRunner actions,
      ServiceRestarts serviceRestarts,
      TunnelEvents events,
      TimeSource time,
      Executor judging,
      Executor repairs,
      RepairCoordinator coordinator,
      PeerCheck peers) {

    /** Collaborators with a coordinator of their own and no peer check (tests). */
    public Collaborators(
        RoundProber prober,
        UplinkMonitor uplinks,
        SaReader sas,
        ActionRunner actions,
        ServiceRestarts serviceRestarts,
        TunnelEvents events,
        TimeSource time,
        Executor judging,
        Executor repairs) {
      this(prober, uplinks, sas, actions, serviceRestarts, events, time, judging, repairs,
          RepairCoordinator.standalone(), PeerCheck.NONE);
    }
  }

  public TunnelSupervisor(TunnelConfig tunnel, Collaborators with, RoundListener listener) {
    this.tunnel = tunnel;
    this.with = with;
    this.listener = listener.forTunnel(tunnel.name());
    this.health = new HealthMachine(HealthPolicy.from(tunnel.settings()));
    this.planner = new RemedyPlanner(RemedyPolicy.from(tunnel.settings()));
    this.requests = RoundProber.requestsFor(tunnel);
    this.echoesPerRound = tunnel.targets().size() * tunnel.settings().count();
    this.healthState = HealthState.initial(with.time().monotonicNanos());
    with.coordinator().register(tunnel);
    this.shown = new Shown(null, healthState, "waiting for the first round", false, null, false);
  }

  public TunnelConfig config() {
    return tunnel;
  }

  /** The tunnel's status as of its last round. */
  public TunnelStatus status() {
    return shown.status(tunnel, with.time());
  }

  /** The tunnel's state as of its last round; cheaper than {@link #status()}. */
  public TunnelState state() {
    return shown.health().state();
  }

  /**
   * Takes over what {@code previous} (the same tunnel under the configuration before a reload)
   * has learnt: health, repair ladder position, rate-limit history and last action, so that a
   * reload neither forgets a down tunnel nor lets it repair again before its settle time. The new
   * settings apply from the next round. Call before this supervisor's first round, and after
   * {@code previous} is {@linkplain #stop() stopped} and {@linkplain #awaitIdle() idle}.
   */
  public void continueFrom(TunnelSupervisor previous) {
    continueFrom(previous, true);
  }

  /**
   * As {@link #continueFrom(TunnelSupervisor)}; without {@code withRepairs} the ladder position,
   * rate-limit history and last action stay as {@link #restoreHistory} left them. A dry run's
   * skipped actions are not the gateway's: carried into a live configuration they would spend
   * its hourly budget on repairs that never happened.
   */
  public void continueFrom(TunnelSupervisor previous, boolean withRepairs) {
    HealthState health;
    RemedyState remedy;
    TunnelStatus.LastAction action;
    Shown seen;
    Optional<ChildSa> child;
    int replies;
    boolean childSeen;
    synchronized (previous) {
      child = previous.previousChild;
      childSeen = previous.childSeenInstalled;
      replies = previous.repliesSincePreviousChild;
      health = previous.healthState;
      remedy = previous.remedyState;
      action = previous.lastAction;
      seen = previous.shown;
    }
    synchronized (this) {
      healthState = health;
      previousChild = child;
      childSeenInstalled = childSeen;
      repliesSincePreviousChild = replies;
      if (withRepairs) {
        remedyState = remedy;
        lastAction = action;
        shown = seen;
      } else {
        shown = new Shown(seen.round(), health, seen.remedy(), seen.dataPlaneDead(), lastAction, remedyState.exhausted());
      }
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
   * Why a scheduled (maintenance) action may not run on this tunnel now (its hourly limit is
   * reached), or empty.
   */
  public synchronized Optional<String> scheduledActionRefused() {
    return planner.scheduledActionRefused(remedyState, with.time().monotonicNanos());
  }

  /** Counts a scheduled action carried out on this tunnel against its hourly limit, and saves it. */
  public void scheduledActionTaken() {
    RemedyState counted;
    synchronized (this) {
      remedyState = planner.afterScheduledAction(remedyState, with.time().monotonicNanos());
      counted = remedyState;
    }
    with.events().actionStarting(tunnel.name(), counted);
  }

  /**
   * Notes that the daemon reported this tunnel's SA gone; the next round checks it first. Call
   * {@link #startRoundSoon()} for that round.
   */
  public void reportSaGone(String what) {
    saGoneReport.set(what);
  }

  /**
   * A scheduled round with its confirmation rounds: starts it and returns at once.
   *
   * @return false if the firing was skipped: a round is still in flight, or the supervisor is
   *     stopped
   */
  public boolean startRound() {
    return startRound(true);
  }

  /** {@link #startRound()}, or a single round without confirmation rounds (for tests). */
  boolean startRound(boolean confirm) {
    synchronized (this) {
      if (inFlight || stopped) {
        return false;
      }
      inFlight = true;
    }
    launch(confirm ? health.downAfter() : 1);
    return true;
  }

  /**
   * A round now, besides the schedule (the daemon reported the SA gone): starts one at once, or,
   * if one is in flight, right after it, so the report is never left waiting for the next firing.
   */
  public void startRoundSoon() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      if (inFlight) {
        runAgain = true;
        return;
      }
      inFlight = true;
    }
    launch(health.downAfter());
  }

  /** Begins a round that this thread has just marked in flight. */
  private void launch(int rounds) {
    listener.roundStarted(tunnel.name());
    guarded(() -> begin(rounds)).run();
  }

  /**
   * Starts no more rounds, confirmation rounds or actions; the round in flight, if any, ends
   * after its current step (an action already under way runs to its end).
   */
  public synchronized void stop() {
    stopped = true;
    runAgain = false;
  }

  /**
   * Waits until no round is in flight and no repair under way. Both are bounded by their
   * timeouts, so this ends.
   */
  public synchronized void awaitIdle() throws InterruptedException {
    while (inFlight || repairing != null) {
      wait();
    }
  }

  /** As {@link #awaitIdle()}, until {@code deadlineNanos} (System.nanoTime) at most; whether idle. */
  public synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
    while (inFlight || repairing != null) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** One round of {@code left} at most: the SA check a report asks for, or the echoes. */
  private void begin(int left) {
    String reported = saGoneReport.getAndSet(null);
    if (reported != null) {
      handOff(with.judging(), () -> checkReportedSa(reported, left));
      return;
    }
    sendEchoes(left);
  }

  /**
   * Fast: reads sysfs and submits; the prober's callback hands the rest to the judging executor. A
   * tunnel that lets traffic count as echoes first looks at its inbound counter, on the judging
   * executor (the SA read may wait for the daemon).
   */
  private void sendEchoes(int left) {
    Optional<LinkState> uplinkBefore = tunnel.uplink().flatMap(with.uplinks()::check);
    if (tunnel.settings().trafficCountsAsEcho() && uplinkBefore.map(LinkState::isUp).orElse(true)) {
      handOff(with.judging(), () -> trafficOrEchoes(left, uplinkBefore));
      return;
    }
    startEchoes(left, uplinkBefore);
  }

  private void startEchoes(int left, Optional<LinkState> uplinkBefore) {
    with.prober().start(requests, echoes -> handOff(with.judging(), () -> finishRound(left, uplinkBefore, echoes)));
  }

  /**
   * A round without echoes if packets came in through the CHILD SA since the last round (see
   * {@link InboundTraffic}); otherwise the echoes after all. The SAs are read as fresh as for a
   * failed round, so that two rounds compare two readings.
   */
  private void trafficOrEchoes(int left, Optional<LinkState> uplinkBefore) {
    HealthState before;
    Optional<ChildSa> seenLast;
    int ownReplies;
    synchronized (this) {
      before = healthState;
      seenLast = previousChild;
      ownReplies = repliesSincePreviousChild;
    }
    if (!InboundTraffic.mayReplaceEchoes(before)) {
      startEchoes(left, uplinkBefore);
      return;
    }
    SaReading sas = readSas(false);
    if (!InboundTraffic.provesLife(seenLast, sas.status().flatMap(SaStatus::child), before, ownReplies)) {
      startEchoes(left, uplinkBefore);
      return;
    }
    RoundSample sample = RoundSample.provenByTraffic(with.time().monotonicNanos(), echoesPerRound);
    TunnelRound round =
        new TunnelRound(tunnel.name(), with.time().now(), List.of(), uplinkBefore, sas.status(), sas.error(), sample);
    judge(round, left, Optional.empty(), h -> health.next(h, round.sample()));
  }

  private void checkReportedSa(String reported, int left) {
    with.sas().invalidate(); // the cached answer predates the report
    TunnelRound check = observeSasOnly();
    if (check.sa().isPresent() && !check.sa().get().childInstalled()) {
      String why = reported + " and the daemon lists no installed CHILD SA " + tunnel.child();
      judge(check, left, Optional.empty(), h -> health.saGone(h, check.sample(), why));
      return;
    }
    // Back already (or unreadable): an ordinary round decides.
    sendEchoes(left);
  }

  private void finishRound(int left, Optional<LinkState> uplinkBefore, List<EchoResult> echoes) {
    TunnelRound round = assemble(uplinkBefore, echoes);
    Optional<String> unsent = probeFault(round);
    if (unsent.isPresent()) {
      judge(round, left, unsent, h -> health.probeError(h, round.sample(), unsent.get()));
      return;
    }
    TunnelRound judged = round;
    if (EchoesAroundTheSa.suspect(withLastKnownSas(round), childSeenInstalled())) {
      // The reading may be a cached one from before the SA came back: ask once more. Once
      // suspect, the daemon knows the tunnel, whatever this second answer lists.
      TunnelRound checked = withSas(round, readSas(false));
      if (EchoesAroundTheSa.suspect(withLastKnownSas(checked), true)) {
        judge(checked, left, unsent, h -> health.saGone(h, checked.sample(), EchoesAroundTheSa.why(tunnel.child())));
        return;
      }
      judged = checked;
    }
    TunnelRound ordinary = judged;
    judge(ordinary, left, unsent, h -> health.next(h, ordinary.sample()));
  }

  private static TunnelRound withSas(TunnelRound round, SaReading sas) {
    return new TunnelRound(round.tunnel(), round.at(), round.echoes(), round.uplink(), sas.status(), sas.error(), round.sample());
  }

  /**
   * The round with the daemon's last answer in place of a reading that failed: with vici one
   * connection carries one request at a time, so a repair's initiate towards a silent peer holds
   * the reads up to the backend's timeout, and "not installed" stays the daemon's last word.
   */
  private TunnelRound withLastKnownSas(TunnelRound round) {
    SaReading last;
    synchronized (this) {
      last = lastSaReading;
    }
    if (round.sa().isPresent() || last == null) {
      return round;
    }
    return withSas(round, new SaReading(last.status(), round.saError()));
  }

  private synchronized boolean childSeenInstalled() {
    return childSeenInstalled;
  }

  /**
   * Why the round's echoes could not be sent, when that is a fault of the probing: nothing was
   * sent and the source address is on no interface of the host. An echo refused for want of a
   * route ("Network is unreachable", as when charon's userspace data plane goes away with it) is
   * the tunnel's fault, and the round an ordinary failed one.
   */
  private Optional<String> probeFault(TunnelRound round) {
    return round.unsent().filter(e -> !SourceAddresses.isLocal(tunnel.source()));
  }

  /**
   * Judges a round and plans; an action goes to the repair executor, the rest is done here.
   * {@code unsent} says why the round's echoes could not be sent (see {@link #probeFault}).
   */
  private void judge(TunnelRound round, int left, Optional<String> unsent, UnaryOperator<HealthState> judgement) {
    RemedyPlan plan;
    RemedyState beforePlan;
    boolean dataPlaneDead;
    HealthState before;
    HealthState after;
    synchronized (this) {
      before = healthState;
      healthState = judgement.apply(before);
      after = healthState;
      Optional<ChildSa> child = round.sa().flatMap(SaStatus::child);
      dataPlaneDead = DataPlane.dead(previousChild, child, round.sample().silent());
      int replies = round.sample().received();
      if (round.sa().isPresent() && round.sa().get() != previousSa) {
        // A new reading includes the replies of rounds before the last, not surely the last's.
        repliesSincePreviousChild = lastRoundReplies + replies;
      } else {
        repliesSincePreviousChild += replies; // the same (shared, cached) reading, or none
      }
      lastRoundReplies = replies;
      if (round.sa().isPresent()) {
        previousSa = round.sa().get();
        previousChild = child;
      }
      long now = round.sample().atNanos();
      RemedyInput input =
          new RemedyInput(
              healthState.state(),
              round.sample().silent(), // a reply from any target proves the tunnel: repairs cannot help then
              round.uplinkUp(),
              now,
              with.serviceRestarts().last(),
              with.sas().backendReachable(),
              round.sa().map(SaStatus::ikeConnecting).orElse(false),
              saFacts(round, now),
              SharedView.alone());
      boolean healthy = healthState.state().carriesTraffic() && !round.sample().failed();
      boolean wentDown = healthState.state() == TunnelState.DOWN && before.state() != TunnelState.DOWN;
      if (healthy && repairing == null) { // the hold is the repair thread's while one runs
        heldAction = null; // a hold ends when the tunnel carries traffic again
        heldBecause = null;
      }
      beforePlan = remedyState;
      RemedyState state = remedyState;
      boolean mayAct = !healthState.state().carriesTraffic() && unsent.isEmpty() && !stopped;
      plan =
          with.coordinator().decide(
              tunnel.name(), healthy, wentDown, mayAct, now, view -> {
                if (stopped) {
                  return new RemedyPlan(state, new Decision.Wait(NOT_ACTING_STOPPED));
                }
                if (repairing != null) {
                  return new RemedyPlan(state, new Decision.Wait(repairing.configName() + " under way"));
                }
                return unsent.isPresent()
                    ? new RemedyPlan(state, new Decision.Wait(NOT_ACTING_UNSENT))
                    : planner.plan(state, input.withShared(view));
              });
      remedyState = plan.next();
      if (plan.decision() instanceof Decision.Act act) {
        repairing = act.action(); // before the lock is let go: the next round must see it
      }
    }
    // Listeners are told outside the lock: a slow one must not hold up status reads or stop().
    if (unsent.isPresent() && !before.reason().startsWith(HealthMachine.PROBE_ERROR)) {
      with.events().probesUnsent(tunnel.name(), unsent.get());
    }
    if (after.state() != before.state()) {
      with.events().stateChanged(tunnel.name(), before, after);
    }
    if (plan.decision() instanceof Decision.Act act) {
      report(round, new Decision.Wait(act.action().configName() + " under way: " + act.reason()), null, dataPlaneDead);
      startRepair(act, plan.next(), round, beforePlan);
      next(left);
      return;
    }
    Optional<RemedyOutcome> skipped =
        plan.decision() instanceof Decision.Skip skip
            ? Optional.of(new RemedyOutcome(skip.action(), RemedyResult.SKIPPED, skip.reason(), Duration.ZERO))
            : Optional.empty();
    report(round, plan.decision(), skipped.orElse(null), dataPlaneDead);
    next(left);
  }

  /**
   * Carries out {@code act} on the repair executor, apart from the rounds: they go on while it
   * runs (a hung daemon holds a repair up to the backend's timeout), and plan nothing until it
   * has ended. {@link #awaitIdle} waits for it too.
   */
  private void startRepair(Decision.Act act, RemedyState planned, TunnelRound round, RemedyState beforePlan) {
    Runnable repair = () -> {
      // On the repair thread: the history's save of this action is awaited here, not while judging.
      with.events().actionStarting(tunnel.name(), planned);
      lastOutcomeResult = RemedyResult.SKIPPED;
      try {
        RemedyOutcome outcome = carryOut(act, round, beforePlan);
        if (outcome == HELD) {
          reportRepair(new Decision.Wait(heldBecause), null);
        } else {
          reportRepair(act, outcome);
        }
      } catch (RuntimeException e) {
        listener.roundFailed(tunnel.name(), e); // a bug, not a tunnel fault
      } finally {
        // Whatever happened, the claim on the shared object ends here.
        with.coordinator().ended(tunnel.name(), lastOutcomeResult, with.time().monotonicNanos());
        repairEnded();
      }
    };
    try {
      with.repairs().execute(repair);
    } catch (RejectedExecutionException e) {
      listener.roundFailed(tunnel.name(), e); // shutting down
      with.coordinator().ended(tunnel.name(), RemedyResult.SKIPPED, with.time().monotonicNanos());
      repairEnded();
    }
  }

  private synchronized void repairEnded() {
    repairing = null;
    notifyAll();
  }

  /** Records how a repair ended (outcome null if it was held) in the status, and tells the listeners. */
  private void reportRepair(Decision decision, RemedyOutcome outcome) {
    synchronized (this) {
      if (outcome != null) {
        lastAction =
            new TunnelStatus.LastAction(
                outcome.action().configName(), outcome.result().label(), TunnelStatus.iso(with.time().now()), outcome.detail());
        remedyState = planner.afterOutcome(remedyState, outcome.result());
      }
      Shown s = shown;
      shown = new Shown(s.round(), healthState, decision.reason(), s.dataPlaneDead(), lastAction, remedyState.exhausted());
    }
    if (outcome != null) {
      with.events().remedied(tunnel.name(), outcome, decision.reason());
    }
  }

  /** What the planner needs of the round's SAs beyond the round itself. */
  private SaFacts saFacts(TunnelRound round, long now) {
    Optional<IkeSa> ike = round.sa().flatMap(SaStatus::ike).filter(IkeSa::established);
    OptionalLong establishedAt = OptionalLong.empty();
    if (ike.isPresent() && ike.get().establishedSeconds().isPresent()) {
      establishedAt = OptionalLong.of(now - Duration.ofSeconds(ike.get().establishedSeconds().getAsLong()).toNanos());
    }
    boolean installed = round.sa().map(SaStatus::childInstalled).orElse(false);
    return new SaFacts(installed, establishedAt, healthState.sinceNanos());
  }

  /** Records the outcome (null if nothing was planned), the status, and tells the listeners. */
  private void report(TunnelRound round, Decision decision, RemedyOutcome outcome, boolean dataPlaneDead) {
    HealthState health;
    RemedyState remedy;
    synchronized (this) {
      if (outcome != null) {
        lastAction =
            new TunnelStatus.LastAction(
                outcome.action().configName(),
                outcome.result().label(),
                TunnelStatus.iso(with.time().now()),
                outcome.detail());
        remedyState = planner.afterOutcome(remedyState, outcome.result());
      }
      shown = new Shown(round, healthState, decision.reason(), dataPlaneDead, lastAction, remedyState.exhausted());
      health = healthState;
      remedy = remedyState;
    }
    if (outcome != null) {
      with.events().remedied(tunnel.name(), outcome, decision.reason());
    }
    with.events().roundCompleted(round, health, remedy);
  }

  /**
   * After a round: another straight away while the tunnel is suspect (a dead tunnel is so called
   * down after {@code down-after} rounds back to back rather than after as many intervals, which
   * is most of the time to detection; the rule for calling it down is unchanged, so random loss
   * is no likelier to trip it), else the end.
   */
  private void next(int left) {
    if (left > 1 && isSuspect() && !isStopped()) {
      begin(left - 1);
    } else {
      end();
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private synchronized boolean isSuspect() {
    return healthState.failedStreak() > 0 && healthState.state() != TunnelState.DOWN;
  }

  /** Ends the round; a round asked for meanwhile starts now. */
  private void end() {
    boolean again;
    synchronized (this) {
      again = runAgain && !stopped;
      runAgain = false;
      if (!again) {
        inFlight = false;
        notifyAll();
      }
    }
    listener.roundEnded(tunnel.name());
    if (again) {
      launch(health.downAfter());
    }
  }

  /** Runs a step on {@code executor}; a refused hand-off (shutting down) ends the round too. */
  private void handOff(Executor executor, Runnable step) {
    Runnable guardedStep = guarded(step);
    try {
      executor.execute(guardedStep);
    } catch (RejectedExecutionException e) {
      listener.roundFailed(tunnel.name(), e);
      end();
    }
  }

  /**
   * A step whose failure (a bug, not a tunnel fault) ends the round rather than leaving it in
   * flight forever. Each step hands off only as its last act, so a failure is never counted
   * twice.
   */
  private Runnable guarded(Runnable step) {
    return () -> {
      try {
        step.run();
      } catch (RuntimeException e) {
        listener.roundFailed(tunnel.name(), e);
        end();
      }
    };
  }

  /** A round that only reads the SAs: no echo sent, so it counts as failed. */
  private TunnelRound observeSasOnly() {
    Optional<LinkState> uplink = tunnel.uplink().flatMap(with.uplinks()::check);
    SaReading sas = readSas(false);
    long now = with.time().monotonicNanos();
    return new TunnelRound(tunnel.name(), with.time().now(), List.of(), uplink, sas.status(), sas.error(), new RoundSample(now, 0, 0, 0));
  }

  /**
   * Runs one probe round without judging it, blocking until its echoes are in: for {@code
   * tunnelwatch probe}, never for the agent's rounds.
   */
  public TunnelRound observe() {
    Optional<LinkState> uplinkBefore = tunnel.uplink().flatMap(with.uplinks()::check);
    return assemble(uplinkBefore, with.prober().probe(requests));
  }

  /** A round's observations once its echoes are in: the uplink after them and the SAs. */
  private TunnelRound assemble(Optional<LinkState> uplinkBefore, List<EchoResult> echoes) {
    Optional<LinkState> uplinkAfter = tunnel.uplink().flatMap(with.uplinks()::check);
    // The echoes need the uplink for their whole flight: a round with the uplink down at either
    // end is an uplink-down round. Otherwise echoes lost just before the uplink came back would
    // read as "uplink back and the tunnel still broken" and trigger a needless repair.
    Optional<LinkState> uplink = uplinkBefore.filter(s -> !s.isUp()).or(() -> uplinkAfter);
    long now = with.time().monotonicNanos();
    RoundSample sample = sample(echoes, now, tunnel.settings().targetsRule());
    boolean everyEchoAnswered = sample.sent() > 0 && sample.received() >= sample.sent();
    SaReading sas = readSas(everyEchoAnswered);
    return new TunnelRound(tunnel.name(), with.time().now(), echoes, uplink, sas.status(), sas.error(), sample);
  }

  /** The daemon's view of this tunnel's SAs, or why it could not be had. */
  private record SaReading(Optional<SaStatus> status, Optional<String> error) {}

  /**
   * Reads the SAs: fresh for a round that lost an echo (or sent none), which the planner and the
   * data-plane check judge by them; up to {@link SaReader#ROUTINE_MAX_AGE} old for one whose
   * echoes all came back, which needs them only for its report. The same answer as last time
   * gives the last reading again rather than a new one.
   */
  private SaReading readSas(boolean everyEchoAnswered) {
    try {
      List<IkeSa> named = with.sas().readNamed(tunnel.ike(), everyEchoAnswered);
      synchronized (this) {
        if (named != lastSaAnswer || lastSaReading == null) {
          SaStatus status = SaStatus.of(named, tunnel.ike(), tunnel.child());
          lastSaReading = new SaReading(Optional.of(status), Optional.empty());
          lastSaAnswer = named;
          childSeenInstalled |= status.childInstalled();
        }
        return lastSaReading;
      }
    } catch (BackendException e) {
      return new SaReading(Optional.empty(), Optional.of(e.getMessage()));
    }
  }

  /**
   * Carries out an action, on the repair executor. Before an action that would tear the IKE SA
   * down, or restart the service, the peer is asked whether it answers IKE at all (see {@link
   * PeerCheck}); if not, the action is held: nothing is done, nothing is counted, and the ladder
   * stays on that rung, to ask again at the next round that fails.
   */
  private RemedyOutcome carryOut(Decision.Act act, TunnelRound round, RemedyState beforePlan) {
    RemedyAction action = act.action();
    if (action.isGatewayWide() && answersAgain()) {
      return new RemedyOutcome(
          action,
          RemedyResult.SKIPPED,
          "the tunnel answered again just before the service restart, which would have interrupted every tunnel",
          Duration.ZERO);
    }
    if (tearsDownIke(action)) {
      Optional<String> why = round.sa().flatMap(SaStatus::ike).flatMap(with.peers()::whyWait);
      if (why.isPresent()) {
        revertTo(beforePlan);
        return held(act, why.get());
      }
      if (heldAction != null && answersAgain()) {
        // The peer answers IKE again after a hold, and so does the tunnel: the path has healed and
        // the SAs the hold kept carry the traffic. Tearing them down now would cut it again.
        heldAction = null;
        heldBecause = null;
        revertTo(beforePlan);
        return new RemedyOutcome(
            action, RemedyResult.SKIPPED, "the path is back and the installed SAs carry traffic again", Duration.ZERO);
      }
    }
    heldAction = null;
    heldBecause = null;
    for (PassedOver passed : act.passedOver()) {
      RemedyOutcome skipped = new RemedyOutcome(passed.action(), RemedyResult.SKIPPED, passed.reason(), Duration.ZERO);
      with.events().remedied(tunnel.name(), skipped, act.reason());
    }
    List<String> children =
        action.scope() == RepairScope.IKE ? with.coordinator().childrenToRestore(tunnel.name()) : List.of(tunnel.child());
    RepairTarget target = new RepairTarget(tunnel.ike(), children, with.coordinator().siblingAlive(tunnel.name()));
    with.events().actionRunning(tunnel.name(), action, act.reason());
    RemedyOutcome outcome = with.actions().run(target, action);
    if (action.isGatewayWide() && outcome.result() != RemedyResult.SKIPPED) {
      with.serviceRestarts().recordAt(with.time().monotonicNanos());
    }
    with.sas().invalidate();
    lastOutcomeResult = outcome.result();
    return outcome;
  }

  /** Undoes a plan whose action was not carried out: no attempt, no count, the same rung next time. */
  private synchronized void revertTo(RemedyState beforePlan) {
    remedyState = beforePlan;
  }

  /**
   * Whether the action removes the IKE SA before a new one is up: then a peer that does not
   * answer IKE means the path is cut, and the removal would only delay the traffic's return. The
   * service restart counts too, unless the daemon is silent, which it cures.
   */
  private boolean tearsDownIke(RemedyAction action) {
    if (action.scope() == RepairScope.GATEWAY) {
      return with.sas().backendReachable();
    }
    return action.scope() == RepairScope.IKE && action.interruptsScope(with.coordinator().makeBeforeBreak());
  }

  /**
   * The action is not carried out, and the ladder stays on its rung to try again at the next
   * round that fails. Said once when a hold begins, not at every round it lasts.
   */
  private RemedyOutcome held(Decision.Act act, String why) {
    if (heldAction != act.action()) {
      with.events().actionHeld(tunnel.name(), act.action(), why);
    }
    heldAction = act.action();
    heldBecause = act.action().configName() + " held: " + why;
    return HELD;
  }

  /**
   * One more round of echoes, on the repair thread, just before a gateway-wide action: whether
   * any came back. A round's verdict and the action it calls for are a round's length apart, and
   * the soak saw a fault heal in between and still cost the whole gateway a service restart.
   */
  private boolean answersAgain() {
    CompletableFuture<List<EchoResult>> echoes = new CompletableFuture<>();
    with.prober().start(requests, echoes::complete);
    Duration wait = TunnelSettings.roundBudget(tunnel.settings().count(), tunnel.settings().timeout()).plusSeconds(1);
    try {
      return echoes.get(wait.toMillis(), TimeUnit.MILLISECONDS).stream().anyMatch(e -> e.received() > 0);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The round's sums; every echo the requests asked for counts as attempted, sent or not. */
  private RoundSample sample(List<EchoResult> echoes, long now, TargetsRule rule) {
    int attempted = 0;
    for (EchoRequest request : requests) {
      attempted += request.count();
    }
    int sent = 0;
    int received = 0;
    int answered = 0;
    long rttSum = 0;
    for (EchoResult echo : echoes) {
      sent += echo.sent();
      received += echo.received();
      answered += echo.received() > 0 ? 1 : 0;
      for (Duration rtt : echo.rtts()) {
        rttSum += rtt.toNanos();
      }
    }
    return new RoundSample(
        now, Math.max(attempted, sent), sent, received, rttSum, answered, Math.max(1, rule.required(echoes.size())), 0);
  }

  /**
   * The inputs of a status report, as of one round (round is null before the first). Immutable,
   * so that a report built from another thread sees one round's view.
   */
  private record Shown(
      TunnelRound round, HealthState health, String remedy, boolean dataPlaneDead, TunnelStatus.LastAction lastAction,
      boolean exhausted) {

    TunnelStatus status(TunnelConfig tunnel, TimeSource time) {
      long sinceAgo = time.monotonicNanos() - health.sinceNanos();
      String since = TunnelStatus.iso(time.now().minusNanos(sinceAgo));
      return new TunnelStatus(
          tunnel.name(),
          health.state().label(),
          since,
          health.reason(),
          TunnelStatus.known(health.window().lossRatio()),
          TunnelStatus.known(health.window().meanRttSeconds()),
          tunnel.uplink().orElse(null),
          round == null || round.uplinkUp(),
          round == null
              ? "not read yet"
              : round.sa().map(SaStatus::describe).map(d -> dataPlaneDead ? d + ", nothing coming in" : d)
                  .orElseGet(() -> "unreadable: " + round.saError().orElse("")),
          remedy,
          lastAction,
          exhausted,
          round == null ? null : round.probeError().orElse(null));
    }
  }
}
