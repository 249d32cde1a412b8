package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.tunnelwatch.config.Durations;
import org.tunnelwatch.health.TunnelState;

/**
 * Decides, after each round, whether to climb the repair ladder. Pure: the same state and input
 * always give the same plan; nothing here runs commands, reads clocks or sleeps.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>Only a tunnel that is down, and whose latest round failed too, is repaired. Degraded
 *       tunnels are reported, never touched: loss alone never restarts anything.
 *   <li>Nothing is done while the tunnel's uplink is down; when the uplink returns and the tunnel
 *       is still broken, the first rung is taken at once, without waiting for the settle time.
 *   <li>After an action the planner waits {@code settle} before judging it and taking the next
 *       rung. A service restart by any tunnel makes every tunnel wait, since it resets them all.
 *   <li>An action that failed (the daemon refused it, e.g. a re-initiate refused as a duplicate
 *       of the stale CHILD SA a crashed peer left behind) has nothing to settle: the next rung
 *       follows at the next round that still fails. See {@link #afterOutcome}.
 *   <li>After the last rung the ladder starts again from the first; the hourly limit bounds the
 *       total. An action over the limit is skipped (and the skip counts as an attempt for the
 *       settle time, so that it is reported once per settle period, not every round).
 *   <li>When the tunnel is up again the ladder starts from its first rung next time.
 *   <li>After an action, while the daemon is setting up an IKE SA for the tunnel that the peer
 *       has not answered yet, the ladder is not climbed (for at most {@link #PEER_ANSWER_WAIT}):
 *       the peer cannot be reached right now, the daemon retransmits by itself, and a further
 *       action would only start that over or tear down SAs that will work again the moment the
 *       path returns. This is what keeps a cut from turning into restarts.
 *   <li>While the IPsec daemon does not answer (charon not running, its socket gone), the rungs
 *       that are requests to it ({@code reinitiate}, {@code rekey-ike}, {@code restart-ike})
 *       cannot work and are not attempted: the ladder goes straight to {@code restart-service},
 *       which is what cures a dead daemon, if the ladder has it (within the hourly limit and the
 *       settle times as always); the rungs passed over are reported as skipped and not counted
 *       against the limit. A ladder without {@code restart-service} reports its due rung as
 *       skipped, once per settle period like a skip over the limit, and resumes at that rung once
 *       the daemon answers again.
 * </ul>
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

  public RemedyPlanner(RemedyPolicy policy) {
    this.policy = policy;
  }

  public RemedyPlan plan(RemedyState state, RemedyInput input) {
    RemedyState current = state.withActionTimes(lastHour(state.actionTimesNanos(), input.nowNanos()));

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

  private RemedyPlan act(RemedyState state, RemedyInput input, String reason) {
    long now = input.nowNanos();
    int rung = state.nextRung() % policy.ladder().size();
    RemedyAction action = policy.ladder().get(rung);
    List<RemedyAction> passedOver = List.of();
    if (!input.backendReachable() && action.needsDaemon()) {
      int service = policy.ladder().indexOf(RemedyAction.RESTART_SERVICE);
      if (service < 0) {
        return new RemedyPlan(
            state.withLastAttempt(now),
            new Decision.Skip(action, "the IPsec daemon does not answer and the ladder has no restart-service"));
      }
      passedOver = rungsBetween(rung, service);
      rung = service;
      action = RemedyAction.RESTART_SERVICE;
      reason = reason + "; the IPsec daemon does not answer, so " + names(passedOver) + " cannot work";
    }
    if (state.actionTimesNanos().size() >= policy.maxActionsPerHour()) {
      return new RemedyPlan(
          state.withLastAttempt(now),
          new Decision.Skip(
              action,
              "limit of " + policy.maxActionsPerHour() + " actions per hour reached"));
    }
    boolean last = rung == policy.ladder().size() - 1;
    List<Long> times = new ArrayList<>(state.actionTimesNanos());
    times.add(now);
    RemedyState next =
        state
            .withNextRung(last ? 0 : rung + 1)
            .withActionTimes(times)
            .withLastAttempt(now)
            .withExhausted(state.exhausted() || last);
    return new RemedyPlan(next, new Decision.Act(action, rung, reason, passedOver));
  }

  /** The rungs from {@code from} up to, not including, {@code to}, going round the ladder. */
  private List<RemedyAction> rungsBetween(int from, int to) {
    List<RemedyAction> rungs = new ArrayList<>();
    for (int i = from; i != to; i = (i + 1) % policy.ladder().size()) {
      rungs.add(policy.ladder().get(i));
    }
    return rungs;
  }

  private static String names(List<RemedyAction> actions) {
    return String.join(" and ", actions.stream().map(RemedyAction::configName).toList());
  }

  private static List<Long> lastHour(List<Long> times, long now) {
    long cutoff = now - HOUR.toNanos();
    return times.stream().filter(t -> t > cutoff).toList();
  }

  private static Duration since(OptionalLong then, long now) {
    return then.isPresent() ? Duration.ofNanos(now - then.getAsLong()) : null;
  }
}
