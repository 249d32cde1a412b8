package org.tunnelwatch.ipsec.ike;

import java.util.List;

/** What one received datagram means for the probe: the peer's answer, or not an answer. */
public sealed interface IkeReply {

  /**
   * The peer's IKE daemon answered our IKE_SA_INIT.
   *
   * @param what the gist: the first error notify's name (e.g. {@code NO_PROPOSAL_CHOSEN}),
   *     {@code COOKIE}, {@code SA} when the peer accepted a proposal, else the notifies or
   *     {@code EMPTY}
   * @param notifyTypes every Notify type in the answer, in order
   * @param proposalAccepted whether it carried an SA payload (a peer that took the proposal)
   */
  record Answer(String what, List<Integer> notifyTypes, boolean proposalAccepted) implements IkeReply {
    public Answer {
      notifyTypes = List.copyOf(notifyTypes);
    }
  }

  /** A datagram that is not the answer (stray, foreign, malformed), and why. */
  record NotAnAnswer(String reason) implements IkeReply {}
}
