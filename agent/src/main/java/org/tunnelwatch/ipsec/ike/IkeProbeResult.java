package org.tunnelwatch.ipsec.ike;

import java.time.Duration;

/** How one IKE probe of a peer ended. */
public sealed interface IkeProbeResult {

  /** Whether the peer's IKE daemon answered: it is alive and reachable for IKE. */
  default boolean answered() {
    return this instanceof Answered;
  }

  /**
   * The peer's IKE daemon answered.
   *
   * @param what the gist of the answer, e.g. {@code NO_PROPOSAL_CHOSEN} (see {@link IkeReply.Answer#what()})
   * @param roundTrip from the first request to the answer (the two requests are identical, so an
   *     answer cannot say which one it is for)
   * @param requestsSent 1, or 2 when the answer came after the retransmission
   */
  record Answered(String what, Duration roundTrip, int requestsSent) implements IkeProbeResult {}

  /**
   * No answer within the timeout: across a cut path, or to a peer that drops IKE.
   *
   * @param waited how long the probe waited
   * @param requestsSent how many requests went out
   * @param ignored datagrams received that were not the answer
   */
  record Silent(Duration waited, int requestsSent, int ignored) implements IkeProbeResult {}

  /**
   * The probe could not be carried out or the network refused it: no such local address, no
   * route, ICMP port unreachable (nothing listens on the peer's IKE port: its daemon is down).
   *
   * @param reason what went wrong, for logs
   */
  record Failed(String reason) implements IkeProbeResult {}
}
