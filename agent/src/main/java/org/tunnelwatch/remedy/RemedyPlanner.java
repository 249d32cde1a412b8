package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tunnelwatch.config.Durations;
import org.tunnelwatch.health.TunnelState;

/**
 * Decides, after each round, whether to climb the repair ladder. Pure: the same state and input
 * always give the same plan; nothing here runs commands, reads clocks or sleeps. Immutable, so
 * any thread may call it; {@code tunnel.RepairCoordinator} calls it under its lock. The rules it
 * keeps (when to act, settle times, the hourly limit, the uplink, the daemon away, shared objects
 * through {@link RungGate}) are written once, in docs/remediation.md.
 */
public final class RemedyPlanner {

  private static final Duration HOUR = Duration.ofHours(1);

  /**
   * How long after its own action the planner waits for a peer that has not answered a new IKE
   * SA. charon's default retransmissions give up after about 165 s and remove the IKE SA, which
   * ends the wait sooner; the bound is for a daemon that never does.
   */
  static final Duration PEER_ANSWER_WAIT = Duration.ofMinutes(3);

  private final RemedyPolicy policy;
  private final RungGate gate;

  public RemedyPlanner(RemedyPolicy policy) {
    this.policy = policy;
    this.gate = new RungGate(policy.ladder());
  }

  public RemedyPlan plan(RemedyState state, RemedyInput input) {
    RemedyState current =
        settleOnShared(state.withActionTimes(lastHour(state.actionTimesNanos(), input.nowNanos())), input.shared());

    if (input.health().carriesTraffic()) {
      RemedyState reset = current.withNextRung(0).withWaitingForUplink(false).withExhausted(false);
      return new RemedyPlan(reset, new Decision.Idle("tunnel is " + input.health().label()));
    }
    if (!input.uplinkUp()) {
      return new RemedyPlan(
          current.withWaitingForUplink(true), new Decision.Wait("uplink is down, waiting for it"));
    }
    if (!input.roundFailed()) {
      return new RemedyPlan(current, new Decision.Wait("replies are coming back, not acting"));
    }
    if (current.waitingForUplink()) {
      RemedyState back = current.withWaitingForUplink(false).withNextRung(0);
      return act(back, input, "uplink is back and the tunnel is still broken");
    }
    if (input.health() != TunnelState.DOWN) {
      return new RemedyPlan(current, new Decision.Idle("tunnel is " + input.health().label()));
    }
    Duration sinceOwn = since(current.lastAttemptNanos(), input.nowNanos());
    if (sinceOwn != null && sinceOwn.compareTo(policy.settle()) < 0 && !current.lastActionFailed()) {
      return new RemedyPlan(
          current,
          new Decision.Wait(
              "settling after the last action, " + Durations.format(policy.settle().minus(sinceOwn)) + " left"));
    }
    if (input.ikeConnecting() && sinceOwn != null && sinceOwn.compareTo(PEER_ANSWER_WAIT) < 0) {
      return new RemedyPlan(
          current,
          new Decision.Wait(
              "waiting for the peer to answer the new IKE SA: it cannot be reached now, and another action"
                  + " would only start the daemon's retransmissions over"));
    }
    Duration sinceService = since(input.lastServiceRestartNanos(), input.nowNanos());
    if (sinceService != null && sinceService.compareTo(policy.settle()) < 0) {
      return new RemedyPlan(
          current,
          new Decision.Wait(
              "the IPsec service was restarted " + Durations.format(sinceService) + " ago, settling"));
    }
    String reason;
    if (current.lastAttemptNanos().isPresent() && current.nextRung() > 0) {
      reason =
          current.lastActionFailed()
              ? "still down and the previous action failed"
              : "still down " + Durations.format(policy.settle()) + " after the previous action";
    } else {
      reason = "tunnel is down";
    }
    return act(current, input, reason);
  }

  /**
   * The state once the action {@link #plan} chose has been carried out: a failure lets the next
   * rung follow without waiting for the settle time. Success and skips change nothing.
   */
  public RemedyState afterOutcome(RemedyState state, RemedyResult result) {
    return state.withLastActionFailed(result == RemedyResult.FAILURE);
  }

  /**
   * Takes over an action that another tunnel carried out on a shared object for this one too, as
   * if it had been this tunnel's own: its settle time, and the ladder going on after that rung. It
   * does not count against this tunnel's hourly limit, since this tunnel did not run it.
   */
  private RemedyState settleOnShared(RemedyState state, SharedView shared) {
    if (shared.settleOn().isEmpty()) {
      return state;
    }
    SharedView.Taken taken = shared.settleOn().get();
    if (state.lastAttemptNanos().isPresent() && state.lastAttemptNanos().getAsLong() >= taken.startNanos()) {
      return state; // already settled on it, or acted since
    }
    int rung = policy.ladder().indexOf(taken.action());
    RemedyState next = state.withLastAttempt(taken.startNanos()).withLastActionFailed(taken.failed());
    if (taken.action().scope() == RepairScope.IKE) {
      next = next.withLastIkeRepair(taken.startNanos());
    }
    return rung < 0 ? next : next.withNextRung((rung + 1) % policy.ladder().size());
  }

  /**
   * Takes the due rung, or the first one after it that the gate lets run (see {@link RungGate});
   * the ones passed over are reported with the reason.
   */
  private RemedyPlan act(RemedyState state, RemedyInput input, String reason) {
    long now = input.nowNanos();
    int size = policy.ladder().size();
    int due = state.nextRung() % size;
    List<PassedOver> passedOver = new ArrayList<>();
    int rung = due;
    RungGate.Go go = null;
    for (int tried = 0; tried < size; tried++, rung = (rung + 1) % size) {
      RemedyAction candidate = policy.ladder().get(rung);
      RungGate.Verdict verdict = gate.check(candidate, state, input);
      if (verdict instanceof RungGate.Hold hold) {
        return new RemedyPlan(state, new Decision.Wait(hold.reason()));
      }
      if (verdict instanceof RungGate.Go ok) {
        go = ok;
        break;
      }
      passedOver.add(new PassedOver(candidate, ((RungGate.Pass) verdict).reason()));
    }
    RemedyAction dueAction = policy.ladder().get(due);
    if (go == null) {
      return nothingMayRun(state, input, dueAction, passedOver);
    }
    RemedyAction action = policy.ladder().get(rung);
    reason = reason + describe(passedOver) + (go.cost().isEmpty() ? "" : "; " + go.cost());
    if (state.actionTimesNanos().size() >= policy.maxActionsPerHour()) {
      return new RemedyPlan(state.withLastAttempt(now), new Decision.Skip(action, limitReached()));
    }
    boolean last = rung == size - 1;
    List<Long> times = new ArrayList<>(state.actionTimesNanos());
    times.add(now);
    RemedyState next =
        state
            .withNextRung(last ? 0 : rung + 1)
            .withActionTimes(times)
            .withLastAttempt(now)
            .withExhausted(state.exhausted() || last || rung < due);
    if (action.scope() == RepairScope.IKE) {
      next = next.withLastIkeRepair(now);
    }
    return new RemedyPlan(next, new Decision.Act(action, rung, reason, passedOver));
  }

  /**
   * Every rung was passed over. While the daemon is silent and the ladder cannot restart it, the
   * due rung is reported as skipped, once per settle period; otherwise the tunnel waits for what
   * holds the rungs back (a sibling that is up, a tunnel elsewhere that is up).
   */
  private RemedyPlan nothingMayRun(RemedyState state, RemedyInput input, RemedyAction due, List<PassedOver> passedOver) {
    if (!input.backendReachable() && !policy.ladder().contains(RemedyAction.RESTART_SERVICE)) {
      return new RemedyPlan(
          state.withLastAttempt(input.nowNanos()),
          new Decision.Skip(due, RungGate.DAEMON_SILENT + " and the ladder has no restart-service"));
    }
    return new RemedyPlan(
        state,
        new Decision.Wait(
            "no rung may run now: " + String.join("; ", passedOver.stream().map(p -> p.action() + ": " + p.reason()).toList())));
  }

  /** "; the IPsec daemon does not answer, so reinitiate and restart-ike cannot work", and the like. */
  private static String describe(List<PassedOver> passedOver) {
    if (passedOver.isEmpty()) {
      return "";
    }
    List<String> daemon =
        passedOver.stream().filter(p -> p.reason().equals(RungGate.DAEMON_SILENT)).map(p -> p.action().configName()).toList();
    StringBuilder text = new StringBuilder();
    if (!daemon.isEmpty()) {
      text.append("; ").append(RungGate.DAEMON_SILENT).append(", so ").append(String.join(" and ", daemon)).append(" cannot work");
    }
    for (PassedOver p : passedOver) {
      if (!p.reason().equals(RungGate.DAEMON_SILENT)) {
        text.append("; passed over ").append(p.action().configName()).append(": ").append(p.reason());
      }
    }
    return text.toString();
  }

  /**
   * Why a scheduled (maintenance) action may not run on this tunnel now: its hourly limit, which
   * the ladder's actions and scheduled ones share, is reached. Empty if it may.
   */
  public Optional<String> scheduledActionRefused(RemedyState state, long nowNanos) {
    return lastHour(state.actionTimesNanos(), nowNanos).size() >= policy.maxActionsPerHour()
        ? Optional.of(limitReached())
        : Optional.empty();
  }

  /**
   * The state once a scheduled action has been carried out on this tunnel: it counts against the
   * hourly limit and the ladder settles on it, as on one of its own.
   */
  public RemedyState afterScheduledAction(RemedyState state, long nowNanos) {
    List<Long> times = new ArrayList<>(lastHour(state.actionTimesNanos(), nowNanos));
    times.add(nowNanos);
    return state.withActionTimes(times).withLastAttempt(nowNanos);
  }

  private String limitReached() {
    return "limit of " + policy.maxActionsPerHour() + " actions per hour reached";
  }

  private static List<Long> lastHour(List<Long> times, long now) {
    long cutoff = now - HOUR.toNanos();
    return times.stream().filter(t -> t > cutoff).toList();
  }

  private static Duration since(OptionalLong then, long now) {
    return then.isPresent() ? Duration.ofNanos(now - then.getAsLong()) : null;
  }
}
