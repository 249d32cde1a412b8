package org.tunnelwatch.tunnel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.FailoverMode;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.failover.FailoverMachine;
import org.tunnelwatch.failover.FailoverState;
import org.tunnelwatch.failover.MemberReport;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.remedy.FailoverStanding;
import org.tunnelwatch.remedy.LocalRungs;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RepairScope;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.state.ActiveMembersFile;
import org.tunnelwatch.time.TimeSource;

/**
 * Where the failover groups' decisions meet the edges. It hears every member's judged rounds,
 * feeds them to its group's {@link FailoverMachine}, and carries a decided switch out through the
 * backend on its own thread, make-before-break: the new member is made to carry the traffic
 * first, then the old one is let go if the switch says so. A switch the daemon refuses is undone
 * (the traffic stays where it was). Each switch is an event ({@link TunnelEvents#failoverSwitched})
 * and the active members are saved in the state directory. In dry-run, switches are decided,
 * reported and logged, never carried out.
 *
 * <p>It also tells the repair coordinator where each member stands ({@link #standing}), so that no
 * member restarts the IPsec service while another member carries or can carry the group's traffic.
 *
 * <p>Thread-safe: each group is guarded by its own lock, held only for the pure machine and
 * bookkeeping, never for I/O.
 */
public final class FailoverControl implements TunnelEvents {

  private static final Logger log = LoggerFactory.getLogger(FailoverControl.class);

  /** One group and what is known of its members. */
  private static final class Group {
    final FailoverMachine machine;
    final Map<String, MemberReport> reports = new LinkedHashMap<>();
    /** Members whose IKE-level repair was held because the peer does not answer IKE, until they carry traffic again. */
    final Set<String> peerSilent = new HashSet<>();
    FailoverState state;

    Group(FailoverMachine machine, FailoverState state) {
      this.machine = machine;
      this.state = state;
    }

    FailoverGroupConfig config() {
      return machine.group();
    }
  }

  private final Map<String, Group> groupOfMember = new LinkedHashMap<>();
  private final List<Group> groups = new ArrayList<>();
  private final Map<String, TunnelConfig> tunnels = new LinkedHashMap<>();
  private final IpsecBackend backend;
  private final boolean dryRun;
  private final TimeSource time;
  private final TunnelEvents events;
  private final ActiveMembersFile saved;
  private final Executor switcher;

  /**
   * @param switcher runs the switches, one at a time, off the judging threads
   * @param saved where the active members are kept; read once here, written after each change
   */
  public FailoverControl(
      List<FailoverGroupConfig> configs,
      List<TunnelConfig> tunnelConfigs,
      IpsecBackend backend,
      boolean dryRun,
      TimeSource time,
      TunnelEvents events,
      ActiveMembersFile saved,
      Executor switcher) {
    this.backend = backend;
    this.dryRun = dryRun;
    this.time = time;
    this.events = events;
    this.saved = saved;
    this.switcher = switcher;
    tunnelConfigs.forEach(t -> tunnels.put(t.name(), t));
    Map<String, String> restored = configs.isEmpty() ? Map.of() : saved.load();
    long now = time.monotonicNanos();
    for (FailoverGroupConfig config : configs) {
      FailoverMachine machine = new FailoverMachine(config);
      Group group = new Group(machine, machine.start(Optional.ofNullable(restored.get(config.name())), now));
      groups.add(group);
      config.members().forEach(m -> groupOfMember.put(m, group));
    }
  }

  /** Says each group's active member once, at the start (for metrics and logs). */
  public void announce() {
    for (Group g : groups) {
      String active;
      synchronized (g) {
        active = g.state.active();
      }
      if (!active.equals(g.config().primary())) {
        log.info("failover group {} starts on {}, as saved before the restart", g.config().name(), active);
      }
      events.failoverActive(g.config().name(), g.config().members(), active);
    }
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    Group g = groupOfMember.get(round.tunnel());
    if (g == null) {
      return;
    }
    TunnelConfig tunnel = tunnels.get(round.tunnel());
    long now = time.monotonicNanos();
    Optional<Switch> decided;
    synchronized (g) {
      if (health.state().carriesTraffic()) {
        g.peerSilent.remove(round.tunnel());
      }
      g.reports.put(round.tunnel(), report(g, round, health, remedy, tunnel, now));
      FailoverMachine.Step step = g.machine.step(g.state, g.reports, now);
      g.state = step.state();
      decided = step.decided();
    }
    decided.ifPresent(s -> switched(g, s));
  }

  /**
   * An IKE-level rung held because the peer does not answer IKE ({@link PeerCheck}) will not help
   * before the peer returns: for {@code failover-after: ladder}, the member's local rungs have
   * failed. Without this, the default would never fail over when a hub dies.
   */
  @Override
  public void actionHeld(String tunnel, RemedyAction action, String why) {
    Group g = groupOfMember.get(tunnel);
    if (g != null && action.scope() == RepairScope.IKE) {
      synchronized (g) {
        g.peerSilent.add(tunnel);
      }
    }
  }

  /**
   * A standby of a cold group has no SA on purpose: its probes say nothing about its path, so it
   * is reported unknown rather than down.
   */
  private static MemberReport report(
      Group g, TunnelRound round, HealthState health, RemedyState remedy, TunnelConfig tunnel, long now) {
    boolean standby = coldStandby(g, round.tunnel()) && round.sa().map(sa -> !sa.childInstalled()).orElse(true);
    if (standby) {
      return MemberReport.unknown(round.tunnel());
    }
    boolean localRungsFailed =
        g.peerSilent.contains(round.tunnel())
            || waitingForSilentPeer(round, health, remedy)
            || LocalRungs.failed(remedy, tunnel.settings().ladder(), tunnel.settings().settle(), now);
    if (health.state().carriesTraffic() && round.sa().map(sa -> !sa.childInstalled()).orElse(false)) {
      // Its own CHILD SA is gone, yet echoes came back: they left from an address inside the
      // LAN's selectors and went through another member's CHILD SA. This path is not healthy.
      return new MemberReport(round.tunnel(), TunnelState.DOWN, 1, localRungsFailed, !round.uplinkUp());
    }
    return new MemberReport(round.tunnel(), health.state(), health.window().lossRatio(), localRungsFailed, !round.uplinkUp());
  }

  /**
   * In a cold group, a member after the active one in priority order: not established on purpose
   * until traffic moves to it. A member preferred to the active one (the primary the traffic left)
   * is no standby: it is probed and repaired as usual, or it would never be healthy again for the
   * traffic to come back to it.
   */
  private static boolean coldStandby(Group g, String tunnel) {
    List<String> members = g.config().members();
    return g.config().mode() == FailoverMode.COLD && members.indexOf(tunnel) > members.indexOf(g.state.active());
  }

  /**
   * The member is down, its ladder has acted, and its IKE SA is still being set up: the peer does
   * not answer the new IKE SA (a hub stopped cleanly deletes its SAs, so the re-initiate builds a new
   * one), and the ladder waits for it (docs/remediation.md) rather than climbing. Its local rungs
   * cannot help before the peer is back.
   */
  private static boolean waitingForSilentPeer(TunnelRound round, HealthState health, RemedyState remedy) {
    return health.state() == TunnelState.DOWN
        && remedy.lastAttemptNanos().isPresent()
        && round.sa().map(SaStatus::ikeConnecting).orElse(false);
  }

  private void switched(Group g, Switch s) {
    events.failoverSwitched(s);
    events.failoverActive(s.group(), g.config().members(), s.to());
    save();
    if (dryRun) {
      log.info("failover group {}: dry-run, not moving the traffic to {}", s.group(), s.to());
      return;
    }
    switcher.execute(() -> carryOut(g, s));
  }

  /** Make-before-break: the new member carries the traffic before the old one is let go. */
  private void carryOut(Group g, Switch s) {
    TunnelConfig to = tunnels.get(s.to());
    try {
      backend.carryTraffic(to.ike(), to.carrierChild());
    } catch (BackendException e) {
      log.warn("failover group {}: could not move the traffic to {}: {}; it stays on {}", s.group(), s.to(), e.getMessage(), s.from());
      synchronized (g) {
        g.state = g.machine.switchFailed(g.state, s, time.monotonicNanos());
      }
      events.failoverActive(s.group(), g.config().members(), s.from());
      save();
      return;
    }
    if (s.releaseFrom()) {
      TunnelConfig from = tunnels.get(s.from());
      try {
        backend.terminateChild(from.ike(), from.carrierChild());
      } catch (BackendException e) {
        log.warn("failover group {}: {} carries the traffic, but {} could not be let go: {}", s.group(), s.to(), s.from(), e.getMessage());
      }
    }
  }

  /**
   * The active member came back (its own repairs, or the daemon): when its traffic CHILD SA is
   * apart from its probe CHILD SA, an IKE restart of its ladder brought back only the probe one,
   * so the traffic one is initiated again if it is not installed.
   */
  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    Group g = groupOfMember.get(tunnel);
    TunnelConfig member = tunnels.get(tunnel);
    if (g == null || dryRun || member.trafficChild().isEmpty() || !to.state().carriesTraffic() || from.state().carriesTraffic()) {
      return;
    }
    synchronized (g) {
      if (!g.state.active().equals(tunnel)) {
        return;
      }
    }
    switcher.execute(
        () -> {
          if (SaStatus.of(backend.listSasOrNone(), member.ike(), member.carrierChild()).childInstalled()) {
            return;
          }
          try {
            backend.initiateChild(member.ike(), member.carrierChild());
            log.info("failover group {}: {} is back, its traffic CHILD SA {} initiated again", g.config().name(), tunnel, member.carrierChild());
          } catch (BackendException e) {
            log.warn("failover group {}: {} is back, but its traffic CHILD SA {} could not be initiated: {}",
                g.config().name(), tunnel, member.carrierChild(), e.getMessage());
          }
        });
  }

  /**
   * A rekey of a member's traffic CHILD SA makes its new SA the last installed, which moves this
   * side's outbound traffic to it while the return route stays with the active member's hub (no
   * updown runs on a rekey). So when that member is not the active one of a hot group, the active
   * member's traffic CHILD SA is rekeyed in turn, which moves the outbound traffic back. Heard from
   * the daemon's events (the vici backend).
   */
  public void childRekeyed(String ike, String child) {
    for (Group g : groups) {
      Optional<String> rekeyed =
          g.config().members().stream()
              .filter(m -> tunnels.get(m).ike().equals(ike) && tunnels.get(m).carrierChild().equals(child))
              .findFirst();
      if (rekeyed.isEmpty() || g.config().mode() != FailoverMode.HOT || dryRun) {
        continue;
      }
      String active;
      synchronized (g) {
        active = g.state.active();
      }
      if (active.equals(rekeyed.get())) {
        continue;
      }
      TunnelConfig carrier = tunnels.get(active);
      switcher.execute(
          () -> {
            try {
              backend.rekeyChild(carrier.ike(), carrier.carrierChild());
              log.info("failover group {}: {} was rekeyed, so {} is rekeyed to carry the traffic again", g.config().name(), rekeyed.get(), active);
            } catch (BackendException e) {
              log.warn("failover group {}: {} was rekeyed and now carries the outbound traffic; rekeying {} failed: {}",
                  g.config().name(), rekeyed.get(), active, e.getMessage());
            }
          });
    }
  }

  private void save() {
    if (dryRun) {
      return; // a dry run never writes the state directory (see HistoryRecorder)
    }
    Map<String, String> active = new LinkedHashMap<>();
    for (Group g : groups) {
      synchronized (g) {
        active.put(g.config().name(), g.state.active());
      }
    }
    saved.save(active);
  }

  /**
   * Where {@code tunnel} stands in its group, for its ladder; empty when it is in no group, or
   * when no other member can carry the traffic (then its ladder is as without a group).
   */
  public Optional<FailoverStanding> standing(String tunnel) {
    Group g = groupOfMember.get(tunnel);
    if (g == null) {
      return Optional.empty();
    }
    synchronized (g) {
      String active = g.state.active();
      String name = g.config().name();
      if (!active.equals(tunnel)) {
        MemberReport carrier = g.reports.getOrDefault(active, MemberReport.unknown(active));
        if (coldStandby(g, tunnel) && !g.machine.failed(g.reports.getOrDefault(tunnel, MemberReport.unknown(tunnel)))) {
          return Optional.of(new FailoverStanding(name, active, FailoverStanding.Role.COLD_STANDBY));
        }
        return g.machine.healthy(carrier)
            ? Optional.of(new FailoverStanding(name, active, FailoverStanding.Role.BACKED_UP))
            : Optional.empty();
      }
      return g.config().members().stream()
          .filter(m -> !m.equals(tunnel) && g.machine.healthy(g.reports.getOrDefault(m, MemberReport.unknown(m))))
          .findFirst()
          .map(m -> new FailoverStanding(name, m, FailoverStanding.Role.ACTIVE_WITH_BACKUP));
    }
  }

  /** Each group's active member, in configuration order. */
  public List<FailoverStatus> statuses() {
    List<FailoverStatus> result = new ArrayList<>();
    for (Group g : groups) {
      synchronized (g) {
        String active = g.state.active();
        result.add(new FailoverStatus(g.config().name(), active, g.config().members(), !active.equals(g.config().primary())));
      }
    }
    return result;
  }

  /** Whether any group is configured. */
  public boolean isEmpty() {
    return groups.isEmpty();
  }
}
