package org.tunnelwatch.ipsec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to make of a CHILD SA that charon will not initiate because it is installed already. It
 * is stale: either its own SPIs died (the peer dropped them, the IKE SA is fine) or the whole IKE
 * SA is dead (the peer crashed, or the path is cut). Pure.
 *
 * <p>Only when another CHILD SA under the same IKE SA still receives packets is the IKE SA known
 * to be alive; then rekeying this one CHILD SA repairs it and leaves its siblings alone. Without
 * that evidence a rekey over a possibly dead IKE SA would go nowhere, and worse, while it waits
 * for an answer charon defers a reauthentication of the IKE SA, the next rung, for minutes.
 */
public final class StaleChild {

  /** How recent a sibling's last inbound packet must be to count as a sign of life. */
  static final long SIGN_OF_LIFE_SECONDS = 30;

  private StaleChild() {}

  /** Whether another installed CHILD SA under an IKE SA of {@code ike} that holds {@code child} received lately. */
  public static boolean siblingReceiving(List<IkeSa> sas, String ike, String child) {
    return sas.stream()
        .filter(sa -> sa.name().equals(ike) && sa.child(child).isPresent())
        .flatMap(sa -> sa.children().stream())
        .filter(c -> !c.name().equals(child) && c.installed())
        .anyMatch(c -> receivedWithin(c.inboundIdleSeconds()));
  }

  /** Why a stale CHILD SA was not rekeyed alone, by whose word its IKE SA looks dead. */
  public static String leftToNextRung(Optional<Boolean> siblingAlive) {
    return siblingAlive.isPresent()
        ? "the other tunnels of its IKE SA carry nothing either, so the IKE SA is left to the next rung"
        : "no CHILD SA of its IKE SA receives anything, so the IKE SA is left to the next rung";
  }

  private static boolean receivedWithin(OptionalLong idleSeconds) {
    return idleSeconds.isPresent() && idleSeconds.getAsLong() <= SIGN_OF_LIFE_SECONDS;
  }
}
