package org.tunnelwatch.tunnel;

import java.util.List;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyState;

/**
 * What the probing and repairing path tells the rest of the agent: metrics, logs, the status
 * API. Listeners are called on the thread that judges or repairs the round (never the echo
 * engine's), one round of a tunnel at a time, and must be quick and must not throw.
 */
public interface TunnelEvents {

  /** A round finished and has been judged; {@code health} and {@code remedy} are the states after it. */
  default void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {}

  /**
   * A round's echoes could not be sent ({@code why}), after rounds whose echoes could; said once
   * per run of such rounds. The tunnel is unknown and nothing is done for it meanwhile.
   */
  default void probesUnsent(String tunnel, String why) {}

  /** The tunnel's state changed. */
  default void stateChanged(String tunnel, HealthState from, HealthState to) {}

  /**
   * An action is about to be carried out; {@code planned} already counts it (its time, the last
   * attempt). Said before the action, so that what must survive a crash (the remediation
   * history) is kept even if the agent dies while the action runs.
   */
  default void actionStarting(String tunnel, RemedyState planned) {}

  /**
   * {@code action} is carried out now, for {@code reason} (after the checks that may still hold it
   * back). Told on the repair thread, just before the daemon is asked.
   */
  default void actionRunning(String tunnel, RemedyAction action, String reason) {}

  /** An action was taken, failed, or skipped. */
  default void remedied(String tunnel, RemedyOutcome outcome, String reason) {}

  /**
   * An action was due but is held back, not carried out and not counted (the peer does not answer
   * IKE, so tearing its IKE SA down would only delay the traffic's return). Said once per hold.
   */
  default void actionHeld(String tunnel, RemedyAction action, String why) {}

  /**
   * A tunnel that carried traffic went down while an action that it did not ask for, on something
   * it shares ({@code causedBy}'s action on their IKE SA, or a service restart), ran or settled.
   */
  default void collateralOutage(String tunnel, String causedBy, RemedyAction action) {}

  /** An uplink went up or down (or was seen for the first time). */
  default void uplinkChanged(String uplink, LinkState state) {}

  /** The IPsec daemon started or stopped answering (or answered for the first time). */
  default void backendChanged(boolean up) {}

  /**
   * A failover group's traffic is to move ({@code decided}, with its reason); said once per switch,
   * when it is decided and before it is carried out. Program hooks hear of switches here.
   */
  default void failoverSwitched(Switch decided) {}

  /**
   * Which member of a failover group carries its traffic: said when the group starts and after
   * every change (a switch, or a switch that could not be carried out and was undone).
   */
  default void failoverActive(String group, List<String> members, String active) {}

  /** The remediation history could be saved in the state directory again, or could no longer be. */
  default void stateWritableChanged(boolean writable) {}
}
