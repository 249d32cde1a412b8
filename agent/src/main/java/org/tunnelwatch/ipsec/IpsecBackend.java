package org.tunnelwatch.ipsec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The IPsec daemon as the agent needs it: read the SAs, and the repairs of the ladder.
 * Every call is bounded by a timeout and reports failure as a {@link BackendException}, never
 * by hanging. Implementations are thread-safe.
 */
public interface IpsecBackend {

  /** How long {@link #carryTraffic} waits for a terminated CHILD SA to be gone before initiating it again. */
  Duration CHILD_GONE_WAIT = Duration.ofSeconds(5);

  /** Every IKE SA with its CHILD SAs. */
  List<IkeSa> listSas() throws BackendException;

  /**
   * The SAs, or none if the daemon does not answer: for a repair that only looks at them to choose
   * how to go on, and whose own request reports the daemon's trouble anyway.
   */
  default List<IkeSa> listSasOrNone() {
    try {
      return listSas();
    } catch (BackendException e) {
      return List.of();
    }
  }

  /** Brings up the CHILD SA (and its IKE SA, if needed). */
  default void initiateChild(String ike, String child) throws BackendException {
    initiateChild(ike, child, Optional.empty());
  }

  /**
   * Brings up the CHILD SA (and its IKE SA, if needed). If charon refuses because the CHILD SA is
   * installed already (stale), it is rekeyed alone when its IKE SA is known to be alive: {@code
   * siblingAlive} is the agent's own word on the other tunnels of that IKE SA (empty when it
   * watches no other), else the daemon's counters of the other CHILD SAs decide (see {@link
   * StaleChild}).
   */
  void initiateChild(String ike, String child, Optional<Boolean> siblingAlive) throws BackendException;

  /** Tears down the IKE SA with all its CHILD SAs, then brings the CHILD SA up again. */
  void restartIke(String ike, String child) throws BackendException;

  /**
   * Rekeys the IKE SA of connection {@code ike}: new keys, same CHILD SAs, no interruption of
   * traffic. charon rekeys in the background; success means the rekey was started.
   */
  void rekeyIke(String ike) throws BackendException;

  /**
   * Reauthenticates the IKE SA of connection {@code ike}: a new IKE SA from IKE_SA_INIT, with its
   * CHILD SAs, replaces the old one. With charon's {@code make_before_break} the old SAs carry
   * traffic until then; charon works in the background, and success means it was started. With no
   * IKE SA to reauthenticate, the CHILD SA {@code child} is initiated instead.
   */
  void reauthIke(String ike, String child) throws BackendException;

  /**
   * {@link #restartIke(String, String)} for every CHILD SA of the IKE SA that the agent watches:
   * the restart takes them all down, so each is brought up again, the first (the one that asked)
   * first. A sibling that fails to come up is reported, after the others were tried.
   */
  default void restartIke(String ike, List<String> children) throws BackendException {
    restartIke(ike, children.get(0));
    initiateSiblings(ike, children);
  }

  /**
   * {@link #reauthIke(String, String)} for every CHILD SA of the IKE SA that the agent watches. A
   * reauthentication brings every CHILD SA of the old IKE SA over by itself; only when there was
   * no IKE SA (and so the first CHILD SA was initiated instead) are the others initiated too.
   */
  default void reauthIke(String ike, List<String> children) throws BackendException {
    boolean hadIke = SaStatus.of(listSasOrNone(), ike, children.get(0)).ike().isPresent();
    reauthIke(ike, children.get(0));
    if (!hadIke) {
      initiateSiblings(ike, children);
    }
  }

  private void initiateSiblings(String ike, List<String> children) throws BackendException {
    List<String> failed = new ArrayList<>();
    for (String sibling : children.subList(1, children.size())) {
      try {
        initiateChild(ike, sibling);
      } catch (BackendException e) {
        failed.add(sibling + ": " + e.getMessage());
      }
    }
    if (!failed.isEmpty()) {
      throw new BackendException("the IKE SA is back, but not every CHILD SA: " + String.join("; ", failed));
    }
  }

  /**
   * Makes this CHILD SA carry the traffic of its selectors, for a failover switch. Where several
   * connections' CHILD SAs have the same selectors, charon sends through the one installed last,
   * and the peer's updown moves the return route only when a CHILD SA comes up (docs/failover.md):
   * so an installed one is terminated and initiated again (charon refuses to initiate a duplicate,
   * and a rekey moves only this side's direction), one that is not installed is initiated. The
   * member that carried the traffic keeps carrying it until the new SA is installed.
   */
  default void carryTraffic(String ike, String child) throws BackendException {
    boolean gone = true;
    if (SaStatus.of(listSasOrNone(), ike, child).childInstalled()) {
      terminateChild(ike, child);
      gone = awaitChildGone(ike, child);
    }
    try {
      initiateChild(ike, child);
    } catch (BackendException e) {
      throw gone ? e : new BackendException(e.getMessage() + " (a CHILD SA " + child + " was still there " + CHILD_GONE_WAIT.toSeconds() + " s after its terminate)");
    }
  }

  /**
   * The terminate does not wait for the peer, and charon refuses to initiate a CHILD SA while the
   * old one with the same selectors is still being deleted ("existing duplicate", seen in the lab):
   * wait, a bounded while, until it is gone. The peer of a member that is to carry the traffic
   * answers, so this takes a round trip. One still listed after that may be a stale copy in an old
   * IKE SA that is being deleted (a hub that restarted does not answer for it): whether the
   * initiate may go ahead is then the daemon's to say, so this reports, and does not refuse.
   *
   * @return whether it was gone in time
   */
  private boolean awaitChildGone(String ike, String child) throws BackendException {
    long deadline = System.nanoTime() + CHILD_GONE_WAIT.toNanos();
    while (SaStatus.of(listSasOrNone(), ike, child).child().isPresent()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException("interrupted while waiting for CHILD SA " + child + " to go");
      }
    }
    return true;
  }

  /**
   * Rekeys this CHILD SA alone: new SAs, installed last, no updown on either side. In a failover
   * group it moves this side's outbound traffic back to the active member after another member's
   * CHILD SA was rekeyed (docs/failover.md).
   */
  void rekeyChild(String ike, String child) throws BackendException;

  /**
   * Tears down this CHILD SA alone (its IKE SA and siblings stay), without waiting for a peer
   * that may be dead: for a failed member of a cold failover group.
   */
  void terminateChild(String ike, String child) throws BackendException;

  /** Restarts the whole IPsec service: every tunnel on the gateway goes down and up. */
  void restartService() throws BackendException;

  /** A word for logs: which backend this is. */
  String name();
}
