package org.tunnelwatch.remedy;

import java.util.Optional;
import org.tunnelwatch.config.ConfigWord;

/**
 * The rungs of the repair ladder, cheapest first. Each one disturbs more than the one before:
 * re-initiating a CHILD SA touches one tunnel, rekeying the IKE SA interrupts nothing (but only
 * helps when the peer still knows the IKE SA), restarting the IKE SA touches every CHILD SA under
 * it, and restarting the service touches every tunnel on the gateway.
 *
 * <p>{@code reauth-ike} builds a new IKE SA from scratch (IKE_SA_INIT) with all its CHILD SAs.
 * With charon's {@code make_before_break = yes} the old SAs keep carrying traffic until the new
 * ones are up, so it costs nothing when the peer is unreachable (the old SAs are there when the
 * path returns) and repairs a peer that lost its state (a crash) as soon as the peer answers.
 * Without that setting charon deletes the old IKE SA first, which makes it a {@code restart-ike}.
 *
 * <p>{@code rekey-ike} is not in the default ladder: in the lab it repaired none of the faults a
 * ladder meets (after a hub crash the rekey hangs in REKEYING until charon's retransmissions give
 * up, minutes later; with ESP dropped the CHILD SAs it leaves alone stay dead). Where it is
 * wanted, it belongs after {@code reinitiate} and before {@code restart-ike}; see
 * docs/remediation.md.
 */
public enum RemedyAction implements ConfigWord {
  REINITIATE("reinitiate"),
  REKEY_IKE("rekey-ike"),
  REAUTH_IKE("reauth-ike"),
  RESTART_IKE("restart-ike"),
  RESTART_SERVICE("restart-service");

  private final String configName;

  RemedyAction(String configName) {
    this.configName = configName;
  }

  /** The name used in the configuration, in logs and in the {@code action} metric label. */
  @Override
  public String configName() {
    return configName;
  }

  /** Whether this action affects every tunnel on the gateway, not just the broken one. */
  public boolean isGatewayWide() {
    return scope() == RepairScope.GATEWAY;
  }

  /** What the action acts on, and so who else it can touch. */
  public RepairScope scope() {
    return switch (this) {
      case REINITIATE -> RepairScope.CHILD;
      case REKEY_IKE, REAUTH_IKE, RESTART_IKE -> RepairScope.IKE;
      case RESTART_SERVICE -> RepairScope.GATEWAY;
    };
  }

  /**
   * Whether the action interrupts the traffic of every tunnel in its scope, healthy or not. A
   * rekey never does; a reauthentication does unless charon builds the new IKE SA before it
   * deletes the old one ({@code makeBeforeBreak}); an IKE or service restart always does. A
   * re-initiate touches only its own CHILD SA.
   */
  public boolean interruptsScope(boolean makeBeforeBreak) {
    return switch (this) {
      case REINITIATE, REKEY_IKE -> false;
      case REAUTH_IKE -> !makeBeforeBreak;
      case RESTART_IKE, RESTART_SERVICE -> true;
    };
  }

  /**
   * Whether this action is a request to the IPsec daemon, which cannot work while the daemon does
   * not answer. The service restart is a command of its own and is what cures a dead daemon.
   */
  public boolean needsDaemon() {
    return this != RESTART_SERVICE;
  }

  public static Optional<RemedyAction> fromConfigName(String name) {
    return ConfigWord.find(RemedyAction.class, name);
  }

  @Override
  public String toString() {
    return configName;
  }
}
