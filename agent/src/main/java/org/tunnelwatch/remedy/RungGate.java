package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tunnelwatch.config.Durations;

/**
 * Whether the due rung may run now, given what it acts on (its CHILD SA, its IKE SA, the
 * gateway) and who shares that: go, wait, or pass over to the next rung. Pure. The rules are
 * written once, in docs/remediation.md ("Shared objects are repaired once"); the tests name each one.
 */
final class RungGate {

  /** What the gate says of one rung. */
  sealed interface Verdict {}

  /** The rung may run. {@code cost}: a sentence on whom it interrupts, or empty. */
  record Go(String cost) implements Verdict {}

  /** The rung is skipped for now; the ladder goes on to the next one. */
  record Pass(String reason) implements Verdict {}

  /** Nothing may run now: the ladder stays where it is. */
  record Hold(String reason) implements Verdict {}

  static final String DAEMON_SILENT = "the IPsec daemon does not answer";

  private final List<RemedyAction> ladder;

  RungGate(List<RemedyAction> ladder) {
    this.ladder = ladder;
  }

  Verdict check(RemedyAction action, RemedyState state, RemedyInput input) {
    SharedView shared = input.shared();
    if (shared.failover().map(f -> f.role() == FailoverStanding.Role.COLD_STANDBY).orElse(false)) {
      return new Hold(shared.failover().get().describe());
    }
    if (action.needsDaemon() && !input.backendReachable()) {
      return new Pass(DAEMON_SILENT);
    }
    return switch (action.scope()) {
      case CHILD -> shared.ikeBusy()
          .filter(b -> b.action().scope() != RepairScope.CHILD)
          .<Verdict>map(b -> new Hold(busyIke(b)))
          .orElse(new Go(""));
      case IKE -> ikeLevel(action, shared);
      case GATEWAY -> gatewayLevel(state, input);
    };
  }

  private Verdict ikeLevel(RemedyAction action, SharedView shared) {
    if (shared.ikeBusy().isPresent()) {
      return new Hold(busyIke(shared.ikeBusy().get()));
    }
    boolean interrupts = action.interruptsScope(shared.makeBeforeBreak());
    if (action == RemedyAction.REAUTH_IKE && interrupts && ladder.contains(RemedyAction.RESTART_IKE)) {
      return new Pass(
          "charon does not do make-before-break reauthentication, so it would delete the IKE SA first like"
              + " restart-ike, and wait for the peer's answer to the DELETE");
    }
    if (!interrupts || shared.healthySiblings().isEmpty()) {
      return new Go("");
    }
    String cut = String.join(", ", shared.healthySiblings());
    if (!shared.policy().interruptHealthySiblings()) {
      return new Pass("it would interrupt " + cut + " on the same IKE SA, which carries traffic");
    }
    return new Go("interrupts " + cut + ", which carries traffic (repairs.interrupt-healthy-siblings)");
  }

  /**
   * A member of a failover group whose traffic can go, or goes, through another member never
   * restarts the service: the active member waits for the switch (the ladder stays on this rung,
   * which is what lets the switch happen), a failed backup-covered member goes on with its own rungs.
   */
  private Verdict gatewayLevel(RemedyState state, RemedyInput input) {
    SharedView shared = input.shared();
    if (shared.failover().isPresent()) {
      FailoverStanding standing = shared.failover().get();
      return standing.role() == FailoverStanding.Role.ACTIVE_WITH_BACKUP ? new Hold(standing.describe()) : new Pass(standing.describe());
    }
    if (shared.gatewayBusy().isPresent()) {
      SharedView.Busy busy = shared.gatewayBusy().get();
      return new Hold("waiting for " + busy.describe() + " before restarting the service");
    }
    List<String> healthy = new ArrayList<>(shared.healthySiblings());
    healthy.addAll(shared.healthyElsewhere());
    String cut = String.join(", ", healthy);
    if (!healthy.isEmpty() && input.backendReachable() && !shared.policy().interruptHealthyTunnels()) {
      return new Pass("a service restart would cut " + cut + ", which carry traffic");
    }
    if (input.backendReachable() && rebuiltYetDead(state, input)) {
      Duration down = Duration.ofNanos(input.nowNanos() - input.sas().stateSinceNanos());
      Duration hold = shared.policy().pathFaultHold();
      if (down.compareTo(hold) < 0) {
        return new Hold(
            "an IKE-level repair rebuilt the SAs and they are installed, yet nothing gets through: the fault is on"
                + " the path; no service restart for " + Durations.format(hold.minus(down)));
      }
    }
    return new Go(healthy.isEmpty() ? "" : "cuts " + cut + ", which carry traffic");
  }

  /** The CHILD SA is installed under an IKE SA established since the last IKE-level repair began. */
  private static boolean rebuiltYetDead(RemedyState state, RemedyInput input) {
    if (!input.sas().childInstalled() || state.lastIkeRepairNanos().isEmpty() || input.sas().ikeEstablishedNanos().isEmpty()) {
      return false;
    }
    // charon reports the IKE SA's age in whole seconds: allow one of slack.
    long slack = Duration.ofSeconds(1).toNanos();
    return input.sas().ikeEstablishedNanos().getAsLong() >= state.lastIkeRepairNanos().getAsLong() - slack;
  }

  private static String busyIke(SharedView.Busy busy) {
    return "waiting for " + busy.describe() + " on the same IKE SA";
  }
}
