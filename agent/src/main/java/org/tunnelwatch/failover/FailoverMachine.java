package org.tunnelwatch.failover;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tunnelwatch.config.Durations;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.FailoverMode;
import org.tunnelwatch.health.TunnelState;

/**
 * Decides which member of one failover group carries its traffic. Pure: the same state, reports
 * and time always give the same step; nothing here runs commands, reads clocks or sleeps.
 * Immutable, so any thread may call it. The rules are written once, in docs/failover.md
 * ("Behaviour"):
 *
 * <ul>
 *   <li>A member <em>fails</em> when it is down, or, with {@code loss-limit}, degraded at that
 *       loss or more; it is <em>healthy</em> when up or degraded below that. Unknown is neither.
 *   <li>The active member that failed is left after {@code failover-after} (a hot group's
 *       default: 0s, at the down verdict), or, with {@code ladder} (a cold group's default), once
 *       the rungs of its ladder that touch only it have failed (at once if its uplink is down:
 *       then the ladder tries nothing). Traffic goes to the first healthy
 *       member in priority order that is not held down; a held-down one only if no other is
 *       healthy; in a cold group a standby (not established, so its own probes say nothing) if
 *       none is healthy. Never to a member that is down. With none, nothing moves: no switch loop.
 *   <li>A member preferred to the active one that has been healthy for {@code preempt-after}, and
 *       is not held down, takes the traffic back ({@code preempt: true}).
 *   <li>A member that fails {@code hold-down.failures} times within {@code hold-down.within} is
 *       held down for {@code hold-down.for}.
 * </ul>
 */
public final class FailoverMachine {

  /**
   * After a switch to a member failed (the daemon refused), it is not tried again for this long:
   * long enough not to hammer the daemon, short against an outage (the traffic is on a failed path).
   */
  static final Duration SWITCH_RETRY = Duration.ofSeconds(10);

  private final FailoverGroupConfig group;

  public FailoverMachine(FailoverGroupConfig group) {
    this.group = group;
  }

  public FailoverGroupConfig group() {
    return group;
  }

  /** A step: the next state and the switch to carry out, if any. */
  public record Step(FailoverState state, Optional<Switch> decided) {}

  /** The group at its start: on the primary, or on {@code restored} if it is still a member. */
  public FailoverState start(Optional<String> restored, long nowNanos) {
    String active = restored.filter(group.members()::contains).orElse(group.primary());
    return FailoverState.start(group.members(), active, nowNanos);
  }

  public Step step(FailoverState state, Map<String, MemberReport> reports, long now) {
    FailoverState next = observe(state, reports, now);
    Optional<Switch> away = failover(next, reports, now);
    if (away.isPresent()) {
      return new Step(next.switchedTo(away.get().to(), now), away);
    }
    Optional<Switch> back = preempt(next, reports, now);
    if (back.isPresent()) {
      return new Step(next.switchedTo(back.get().to(), now), back);
    }
    return new Step(next, Optional.empty());
  }

  /**
   * The switch could not be carried out (the daemon refused to bring {@code to} up): the traffic
   * stays where it was, and {@code to} is not tried again for {@link #SWITCH_RETRY}.
   */
  public FailoverState switchFailed(FailoverState state, Switch failed, long now) {
    FailoverState back = new FailoverState(failed.from(), state.activeSinceNanos(), state.lastSwitchNanos(), state.members());
    return back.with(failed.to(), back.history(failed.to()).noSwitchBefore(now + SWITCH_RETRY.toNanos()));
  }

  /** Whether the member counts as failed on this report. */
  public boolean failed(MemberReport report) {
    return report.state() == TunnelState.DOWN
        || (report.state() == TunnelState.DEGRADED
            && group.lossLimit().isPresent()
            && report.loss() >= group.lossLimit().getAsDouble());
  }

  /** Whether the member counts as healthy on this report: it carries traffic below any loss limit. */
  public boolean healthy(MemberReport report) {
    return report.state().carriesTraffic() && !failed(report);
  }

  private FailoverState observe(FailoverState state, Map<String, MemberReport> reports, long now) {
    FailoverState next = state;
    FailoverGroupConfig.HoldDown holdDown = group.holdDown();
    for (String member : group.members()) {
      MemberReport report = report(reports, member);
      MemberHistory h = next.history(member);
      if (failed(report) && h.failedSinceNanos().isEmpty()) {
        h = h.failing(now, holdDown.within().toNanos());
        if (h.failureTimesNanos().size() >= holdDown.failures()) {
          h = h.heldUntil(now + holdDown.hold().toNanos());
        }
      } else if (healthy(report) && h.healthySinceNanos().isEmpty()) {
        h = h.healthy(now);
      } else if (!failed(report) && !healthy(report)) {
        h = h.neither();
      }
      next = next.with(member, h);
    }
    return next;
  }

  private Optional<Switch> failover(FailoverState state, Map<String, MemberReport> reports, long now) {
    String active = state.active();
    MemberReport report = report(reports, active);
    if (!failed(report) || !dueToLeave(state.history(active), report, now)) {
      return Optional.empty();
    }
    List<String> others = group.members().stream().filter(m -> !m.equals(active)).toList();
    Optional<String> to =
        others.stream()
            .filter(m -> healthy(report(reports, m)) && !state.held(m, now) && state.history(m).mayBeTried(now))
            .findFirst()
            .or(() -> others.stream().filter(m -> healthy(report(reports, m)) && state.history(m).mayBeTried(now)).findFirst())
            .or(() -> coldStandby(state, reports, now, others));
    return to.map(
        m ->
            new Switch(
                group.name(), active, m, SwitchReason.FAILOVER, active + " is " + describe(report) + leaveReason(report) + "; " + m + " is "
                    + (healthy(report(reports, m)) ? report(reports, m).state().label() : "a cold standby")
                    + (state.held(m, now) ? " (held down, but no other member is healthy)" : ""),
                true));
  }

  /**
   * In a cold group a standby has no SA, so its probes say nothing; the caller reports it unknown,
   * and it is tried when no member is healthy.
   */
  private Optional<String> coldStandby(FailoverState state, Map<String, MemberReport> reports, long now, List<String> others) {
    if (group.mode() != FailoverMode.COLD) {
      return Optional.empty();
    }
    return others.stream()
        .filter(m -> report(reports, m).state() == TunnelState.UNKNOWN)
        .filter(m -> !state.held(m, now) && state.history(m).mayBeTried(now))
        .findFirst();
  }

  /**
   * With {@code failover-after: ladder}, a member that is down is left once its local rungs have
   * failed; one failed by loss alone, or whose uplink is down, is left at once, since the ladder
   * does nothing for a tunnel that still carries traffic, nor while its uplink is down.
   */
  private boolean dueToLeave(MemberHistory history, MemberReport report, long now) {
    if (group.failoverAfter().isEmpty()) {
      return report.localRungsFailed() || report.uplinkDown() || report.state() != TunnelState.DOWN;
    }
    long failedFor = now - history.failedSinceNanos().orElse(now);
    return failedFor >= group.failoverAfter().get().toNanos();
  }

  private Optional<Switch> preempt(FailoverState state, Map<String, MemberReport> reports, long now) {
    if (!group.preempt()) {
      return Optional.empty();
    }
    String active = state.active();
    for (String member : group.members()) {
      if (member.equals(active)) {
        return Optional.empty(); // no member preferred to the active one is ready
      }
      MemberHistory h = state.history(member);
      boolean ready =
          healthy(report(reports, member))
              && h.healthySinceNanos().isPresent()
              && now - h.healthySinceNanos().getAsLong() >= group.preemptAfter().toNanos()
              && !h.held(now)
              && h.mayBeTried(now);
      if (ready) {
        boolean activeFailed = failed(report(reports, active));
        return Optional.of(
            new Switch(
                group.name(), active, member, SwitchReason.PREEMPT,
                member + " has been healthy for " + Durations.format(Duration.ofNanos(now - h.healthySinceNanos().getAsLong()))
                    + " (preempt-after " + Durations.format(group.preemptAfter()) + ")",
                activeFailed || group.mode() == FailoverMode.COLD));
      }
    }
    return Optional.empty();
  }

  private String leaveReason(MemberReport report) {
    if (group.failoverAfter().isPresent()) {
      Duration after = group.failoverAfter().get();
      return after.isZero() ? "" : " for " + Durations.format(after) + " (failover-after)";
    }
    return report.uplinkDown() && !report.localRungsFailed()
        ? " and its uplink is down (no repair is tried meanwhile)"
        : " and the repairs that touch only it have failed";
  }

  private static String describe(MemberReport report) {
    return report.state() == TunnelState.DOWN ? "down" : "degraded at " + Math.round(report.loss() * 100) + "% loss";
  }

  private static MemberReport report(Map<String, MemberReport> reports, String member) {
    return reports.getOrDefault(member, MemberReport.unknown(member));
  }
}
