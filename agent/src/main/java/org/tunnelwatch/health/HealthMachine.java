package org.tunnelwatch.health;

import java.time.Duration;
import java.util.Locale;
import org.tunnelwatch.config.Durations;

/**
 * The per-tunnel state machine: state plus one round gives the next state. Pure and stateless
 * (the policy aside), so it is tested with made-up rounds and times, without network or sleeping.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>{@code down-after} consecutive failed rounds (fewer targets answering than the tunnel's
 *       {@link TargetsRule} requires) make any tunnel down.
 *   <li>A down or unknown tunnel comes up after {@code up-after} consecutive good rounds; its
 *       window then starts from those good rounds, so that the outage itself does not make it
 *       look degraded afterwards.
 *   <li>An up tunnel whose loss (or mean RTT) over the window exceeds the limit is degraded, and
 *       up again once both are back within the limits.
 *   <li>A tunnel whose SA the daemon reports gone ({@link #saGone}) is down at once: no echo can
 *       pass without it, so waiting for {@code down-after} rounds would only delay the repair.
 *   <li>A round whose echoes could not be sent ({@link #probeError}) makes the tunnel unknown:
 *       it is a fault of the probing, not evidence about the tunnel.
 * </ol>
 */
public final class HealthMachine {

  private final HealthPolicy policy;

  public HealthMachine(HealthPolicy policy) {
    this.policy = policy;
  }

  /** Consecutive failed rounds that make a tunnel down. */
  public int downAfter() {
    return policy.downAfter();
  }

  /** The state after {@code round}; {@code round.atNanos()} is the current time. */
  public HealthState next(HealthState current, RoundSample round) {
    long now = round.atNanos();
    int failedStreak = round.failed() ? current.failedStreak() + 1 : 0;
    int goodStreak = round.failed() ? 0 : current.goodStreak() + 1;
    RoundWindow window = current.window().plus(round, policy.window());
    long failingSince = round.failed() && current.failedStreak() > 0 ? current.failingSinceNanos() : now;

    if (current.state() != TunnelState.DOWN && failedStreak >= policy.downAfter()) {
      return new HealthState(
          TunnelState.DOWN, failedStreak, goodStreak, window, now, whyDown(round, failedStreak), failingSince);
    }
    if (current.state() == TunnelState.DOWN || current.state() == TunnelState.UNKNOWN) {
      if (goodStreak < policy.upAfter()) {
        return new HealthState(current.state(), failedStreak, goodStreak, window, current.sinceNanos(), current.reason(), failingSince);
      }
      RoundWindow fresh = window.lastRounds(goodStreak);
      TunnelState state = judge(fresh);
      String reason =
          state == TunnelState.UP
              ? "replies in " + goodStreak + " consecutive rounds"
              : "replies in " + goodStreak + " consecutive rounds, but " + whyDegraded(fresh);
      return new HealthState(state, failedStreak, goodStreak, fresh, now, reason, failingSince);
    }
    TunnelState state = judge(window);
    if (state == current.state()) {
      return new HealthState(state, failedStreak, goodStreak, window, current.sinceNanos(), current.reason(), failingSince);
    }
    String reason = state == TunnelState.DEGRADED ? whyDegraded(window) : withinLimits(window);
    return new HealthState(state, failedStreak, goodStreak, window, now, reason, failingSince);
  }

  /**
   * The state after a round in which the daemon reported the tunnel's CHILD SA gone (an event,
   * confirmed by reading the SAs): down now, whatever the streak, with {@code why} as the reason.
   * A tunnel that is down already stays down with its old reason and time.
   */
  public HealthState saGone(HealthState current, RoundSample round, String why) {
    int failedStreak = current.failedStreak() + 1;
    RoundWindow window = current.window().plus(round, policy.window());
    // The checking round is the outage's first failed round unless probes had failed already.
    long failingSince = current.failedStreak() > 0 ? current.failingSinceNanos() : round.atNanos();
    if (current.state() == TunnelState.DOWN) {
      return new HealthState(TunnelState.DOWN, failedStreak, 0, window, current.sinceNanos(), current.reason(), failingSince);
    }
    return new HealthState(TunnelState.DOWN, failedStreak, 0, window, round.atNanos(), why, failingSince);
  }

  /**
   * The state after a round whose echoes could not be sent at all (the source address is not on
   * the host, the socket was refused): the round says nothing about the tunnel, so it is unknown,
   * with {@code why} as the reason, and the round counts in neither streak. A tunnel is never
   * called down by probes that never left. Its echoes count as lost in the window all the same:
   * the figures say what the users of the tunnel get, and nothing got through.
   */
  public HealthState probeError(HealthState current, RoundSample round, String why) {
    String reason = PROBE_ERROR + why;
    long since = current.state() == TunnelState.UNKNOWN ? current.sinceNanos() : round.atNanos();
    RoundWindow window = current.window().plus(round, policy.window());
    return new HealthState(TunnelState.UNKNOWN, 0, 0, window, since, reason, round.atNanos());
  }

  /** How the reason of a state after {@link #probeError} begins. */
  public static final String PROBE_ERROR = "probe error, no echo could be sent: ";

  private static String whyDown(RoundSample round, int failedStreak) {
    if (round.silent()) {
      return "no reply in " + failedStreak + " consecutive rounds";
    }
    return "too few targets answered in " + failedStreak + " consecutive rounds (" + round.targetsAnswered()
        + " of the " + round.targetsRequired() + " required in the last)";
  }

  private TunnelState judge(RoundWindow window) {
    return lossTooHigh(window) || rttTooHigh(window) ? TunnelState.DEGRADED : TunnelState.UP;
  }

  private boolean lossTooHigh(RoundWindow window) {
    return window.lossRatio() > policy.degradedLoss();
  }

  private boolean rttTooHigh(RoundWindow window) {
    Duration limit = policy.degradedRtt();
    return !limit.isZero() && window.hasReplies() && window.meanRtt().compareTo(limit) > 0;
  }

  private String whyDegraded(RoundWindow window) {
    if (lossTooHigh(window)) {
      return "loss " + percent(window.lossRatio()) + " over the last " + Durations.format(policy.window())
          + " exceeds " + percent(policy.degradedLoss());
    }
    return "mean RTT " + millis(window.meanRtt()) + " over the last " + Durations.format(policy.window())
        + " exceeds " + millis(policy.degradedRtt());
  }

  private String withinLimits(RoundWindow window) {
    return "loss " + percent(window.lossRatio()) + " and mean RTT " + millis(window.meanRtt())
        + " over the last " + Durations.format(policy.window()) + " within limits";
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1fms", d.toNanos() / 1e6);
  }
}
