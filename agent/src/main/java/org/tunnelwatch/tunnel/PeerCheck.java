package org.tunnelwatch.tunnel;

import java.util.Optional;
import org.tunnelwatch.ipsec.IkeSa;

/**
 * Asked right before an action that would tear an IKE SA down: does its peer answer IKE at all?
 * After a peer crash it answers a new IKE_SA_INIT, and tearing the stale IKE SA down is the
 * repair; across a cut nothing answers, and tearing down would only make the traffic wait for
 * IKE retransmissions once the path heals, where the installed SAs carry it at once.
 */
public interface PeerCheck {

  /** Empty when the peer answered, or could not be asked; otherwise why the action should wait. */
  Optional<String> whyWait(IkeSa sa);

  /** Never asks. */
  PeerCheck NONE = sa -> Optional.empty();
}
