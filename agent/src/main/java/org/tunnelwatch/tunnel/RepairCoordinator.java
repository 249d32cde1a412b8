package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.remedy.Decision;
import org.tunnelwatch.remedy.FailoverStanding;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyPlan;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RepairScope;
import org.tunnelwatch.remedy.SharedView;
import org.tunnelwatch.remedy.SharingPolicy;

/**
 * The one place that sees every tunnel's repairs, so that repairs of a shared object (an IKE SA,
 * the daemon) are decided once for everything that shares it. Each supervisor plans under this
 * coordinator's lock ({@link #decide}), from a {@link SharedView} of the others, and an action it
 * decides on is claimed in the same step, so two members of one IKE SA can never both start an
 * IKE-level action; when it ends ({@link #ended}) the members it was taken for settle on it.
 *
 * <p>It also counts collateral outages: a tunnel that carried traffic when another tunnel's action
 * on something they share started, and that goes down while that action runs or settles.
 *
 * <p>Thread-safe. The lock is held only for bookkeeping and the pure planner, never for I/O.
 */
public final class RepairCoordinator {

  /** What is known of one tunnel. */
  private static final class Member {
    final String tunnel;
    final String ike;
    final String child;
    final Duration settle;
    boolean healthy;
    /** The member's latest action, while it runs and after (for settling and counting). */
    ActionRecord last;

    Member(TunnelConfig config) {
      this.tunnel = config.name();
      this.ike = config.ike();
      this.child = config.child();
      this.settle = config.settings().settle();
    }
  }

  /** One action, from the decision on. */
  private static final class ActionRecord {
    final String tunnel;
    final RemedyAction action;
    final long startNanos;
    final Duration settle;
    /** The members of its scope that were not carrying traffic when it was decided: it is theirs too. */
    final Set<String> takenFor;
    /** The members of its scope that carried traffic when it started: an outage of theirs is collateral. */
    final Set<String> healthyAtStart;
    long endNanos = -1;
    boolean carriedOut = true;
    boolean failed;

    ActionRecord(String tunnel, RemedyAction action, long startNanos, Duration settle, Set<String> takenFor, Set<String> healthyAtStart) {
      this.tunnel = tunnel;
      this.action = action;
      this.startNanos = startNanos;
      this.settle = settle;
      this.takenFor = takenFor;
      this.healthyAtStart = healthyAtStart;
    }

    boolean running() {
      return carriedOut && endNanos < 0;
    }

    boolean settling(long now) {
      return carriedOut && !failed && now - startNanos < settle.toNanos();
    }

    Duration settleLeft(long now) {
      return running() ? Duration.ZERO : Duration.ofNanos(Math.max(0, startNanos + settle.toNanos() - now));
    }

    /** Until when an outage of a tunnel it touched counts as caused by it. */
    boolean withinBlame(long now) {
      long end = endNanos < 0 ? now : endNanos;
      return now >= startNanos && now - end <= settle.toNanos();
    }
  }

  /** Hears about collateral outages (metrics, log). */
  public interface CollateralListener {
    void collateralOutage(String tunnel, String causedBy, RemedyAction action);
  }

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final boolean makeBeforeBreak;
  private final SharingPolicy policy;
  private final CollateralListener collateral;
  /** Where each tunnel stands in its failover group, if it is in one (see {@link FailoverControl}). */
  private final Function<String, Optional<FailoverStanding>> failover;
  /** The view for a round whose planner cannot act (see {@link #decide}). */
  private final SharedView nothingShared;

  public RepairCoordinator(boolean makeBeforeBreak, SharingPolicy policy, CollateralListener collateral) {
    this(makeBeforeBreak, policy, collateral, tunnel -> Optional.empty());
  }

  /**
   * @param failover where a tunnel stands in its failover group: read under this coordinator's
   *     lock, so it must be quick and must not call back into the coordinator
   */
  public RepairCoordinator(
      boolean makeBeforeBreak,
      SharingPolicy policy,
      CollateralListener collateral,
      Function<String, Optional<FailoverStanding>> failover) {
    this.failover = failover;
    this.makeBeforeBreak = makeBeforeBreak;
    this.nothingShared = SharedView.alone(makeBeforeBreak, policy);
    this.policy = policy;
    this.collateral = collateral;
  }

  /** A coordinator with make-before-break, the default policy, and nobody listening (tests). */
  public static RepairCoordinator standalone() {
    return new RepairCoordinator(true, SharingPolicy.DEFAULT, (t, by, a) -> {});
  }

  /** Adds a tunnel; each supervisor registers its own when it is built. */
  public synchronized void register(TunnelConfig tunnel) {
    members.put(tunnel.name(), new Member(tunnel));
  }

  public boolean makeBeforeBreak() {
    return makeBeforeBreak;
  }

  /**
   * Records {@code tunnel}'s latest round and plans under the lock: {@code planning} gets the view
   * of the others and returns the plan; an action it decides on is claimed before the lock is let
   * go. Call {@link #ended} when that action is over.
   *
   * @param healthy whether the tunnel carries traffic and its latest round got replies
   * @param down whether it has just been called down (for counting collateral outages)
   * @param needsView whether the planner can act on this round (the tunnel carries no traffic):
   *     the view walks every tunnel, which a hub's thousand healthy rounds a second need not pay
   *     for; otherwise the planner is shown nothing shared, and takes over what another tunnel
   *     did for it (see {@link SharedView#settleOn}) at its next round that needs the view
   */
  public synchronized RemedyPlan decide(
      String tunnel,
      boolean healthy,
      boolean down,
      boolean needsView,
      long nowNanos,
      Function<SharedView, RemedyPlan> planning) {
    Member self = member(tunnel);
    self.healthy = healthy;
    if (down) {
      blame(self, nowNanos);
    }
    RemedyPlan plan = planning.apply(needsView ? viewFor(self, nowNanos) : nothingShared);
    if (plan.decision() instanceof Decision.Act act) {
      claim(self, act.action(), nowNanos);
    }
    return plan;
  }

  /** The action {@code tunnel} claimed in {@link #decide} is over. */
  public synchronized void ended(String tunnel, RemedyResult result, long nowNanos) {
    ActionRecord record = member(tunnel).last;
    if (record == null || record.endNanos >= 0) {
      return;
    }
    record.endNanos = nowNanos;
    record.carriedOut = result != RemedyResult.SKIPPED;
    record.failed = result == RemedyResult.FAILURE;
  }

  /**
   * The CHILD SAs to bring up again when the IKE SA of {@code tunnel} is restarted: its own first,
   * then every other member's, since the restart takes them all down.
   */
  public synchronized List<String> childrenToRestore(String tunnel) {
    Member self = member(tunnel);
    Set<String> children = new LinkedHashSet<>();
    children.add(self.child);
    for (Member m : members.values()) {
      if (m.ike.equals(self.ike)) {
        children.add(m.child);
      }
    }
    return List.copyOf(children);
  }

  /**
   * The agent's own evidence on whether the IKE SA of {@code tunnel} is alive: whether another
   * tunnel it watches on that IKE SA carries traffic; empty when it watches no other.
   */
  public synchronized Optional<Boolean> siblingAlive(String tunnel) {
    Member self = member(tunnel);
    List<Member> siblings = members.values().stream().filter(m -> m != self && m.ike.equals(self.ike)).toList();
    return siblings.isEmpty() ? Optional.empty() : Optional.of(siblings.stream().anyMatch(m -> m.healthy));
  }

  /** Takes over the actions of the coordinator before a reload, for the tunnels that stay. */
  public void continueFrom(RepairCoordinator previous) {
    Map<String, Member> before;
    synchronized (previous) {
      before = new HashMap<>(previous.members);
    }
    synchronized (this) {
      for (Member m : members.values()) {
        Member old = before.get(m.tunnel);
        if (old != null && old.ike.equals(m.ike)) {
          m.healthy = old.healthy;
          m.last = old.last;
        }
      }
    }
  }

  private Member member(String tunnel) {
    Member m = members.get(tunnel);
    if (m == null) {
      throw new IllegalArgumentException("not a tunnel of this coordinator: " + tunnel);
    }
    return m;
  }

  private SharedView viewFor(Member self, long now) {
    List<String> healthySiblings = new ArrayList<>();
    List<String> healthyElsewhere = new ArrayList<>();
    Optional<SharedView.Busy> ikeBusy = Optional.empty();
    Optional<SharedView.Busy> gatewayBusy = Optional.empty();
    ActionRecord settleOn = null;
    for (Member m : members.values()) {
      if (m == self) {
        continue;
      }
      boolean sibling = m.ike.equals(self.ike);
      if (m.healthy) {
        (sibling ? healthySiblings : healthyElsewhere).add(m.tunnel);
      }
      ActionRecord a = m.last;
      if (a == null || !a.carriedOut) {
        continue;
      }
      boolean busy = a.running() || a.settling(now);
      if (busy && gatewayBusy.isEmpty()) {
        gatewayBusy = Optional.of(busy(a, now));
      }
      if (busy && (sibling || a.action.scope() == RepairScope.GATEWAY) && ikeBusy.isEmpty()) {
        ikeBusy = Optional.of(busy(a, now));
      }
      boolean forSelf = a.action.scope() != RepairScope.CHILD && (sibling || a.action.scope() == RepairScope.GATEWAY);
      if (forSelf && !a.running() && a.takenFor.contains(self.tunnel)
          && (settleOn == null || a.startNanos > settleOn.startNanos)) {
        settleOn = a;
      }
    }
    Optional<SharedView.Taken> taken =
        Optional.ofNullable(settleOn).map(a -> new SharedView.Taken(a.tunnel, a.action, a.startNanos, a.failed));
    return new SharedView(
        ikeBusy, gatewayBusy, taken, healthySiblings, healthyElsewhere, makeBeforeBreak, policy, failover.apply(self.tunnel));
  }

  private static SharedView.Busy busy(ActionRecord a, long now) {
    return new SharedView.Busy(a.tunnel, a.action, a.settleLeft(now), a.running());
  }

  private void claim(Member self, RemedyAction action, long now) {
    Set<String> takenFor = new LinkedHashSet<>();
    Set<String> healthy = new LinkedHashSet<>();
    for (Member m : members.values()) {
      boolean inScope = action.scope() == RepairScope.GATEWAY || m.ike.equals(self.ike);
      if (!inScope) {
        continue;
      }
      if (m == self || !m.healthy) {
        takenFor.add(m.tunnel);
      } else {
        healthy.add(m.tunnel);
      }
    }
    self.last = new ActionRecord(self.tunnel, action, now, self.settle, takenFor, healthy);
  }

  /** {@code victim} has just gone down: an action of another tunnel that touched it while it was up is to blame. */
  private void blame(Member victim, long now) {
    members.values().stream()
        .filter(m -> m != victim && m.last != null && m.last.carriedOut)
        .map(m -> m.last)
        .filter(a -> a.healthyAtStart.contains(victim.tunnel) && a.withinBlame(now))
        .max(Comparator.comparingLong(a -> a.startNanos))
        .ifPresent(a -> {
          a.healthyAtStart.remove(victim.tunnel); // once per action and tunnel
          collateral.collateralOutage(victim.tunnel, a.tunnel, a.action);
        });
  }
}
