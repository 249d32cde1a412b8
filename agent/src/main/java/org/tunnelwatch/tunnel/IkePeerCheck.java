package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.Optional;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEndpoint;
import org.tunnelwatch.ipsec.ike.IkePeerProbe;
import org.tunnelwatch.ipsec.ike.IkeProbeResult;

/**
 * {@link PeerCheck} by an IKE ping ({@link IkePeerProbe}): one IKE_SA_INIT that the peer refuses
 * without keeping state, sent from the IKE SA's own local address to the peer's IKE address and
 * port, so that it takes the IKE SA's path. Any answer means the peer's IKE daemon is alive and
 * reachable. Silence, or ICMP saying that nothing listens or there is no route, means tearing
 * the IKE SA down cannot help now. When the probe cannot even be sent from that address (the
 * gateway's dynamic address changed, say), a restart of the IKE SA is what helps, so it is not
 * held back.
 */
public final class IkePeerCheck implements PeerCheck {

  /**
   * How long to wait for the answer: a satellite link may take several hundred milliseconds, and
   * the probe sends its request again at 40 % of this.
   */
  static final Duration TIMEOUT = Duration.ofMillis(1500);

  private final IkePeerProbe probe;
  private final Duration timeout;

  public IkePeerCheck(IkePeerProbe probe, Duration timeout) {
    this.probe = probe;
    this.timeout = timeout;
  }

  public IkePeerCheck() {
    this(new IkePeerProbe(), TIMEOUT);
  }

  @Override
  public Optional<String> whyWait(IkeSa sa) {
    if (sa.remote().isEmpty()) {
      return Optional.empty(); // the backend does not say where the peer is: nothing to ask
    }
    SaEndpoint peer = sa.remote().get();
    IkeProbeResult result = probe.probe(sa.local().map(SaEndpoint::address), peer.socketAddress(), timeout);
    String where = peer.address().getHostAddress() + ":" + peer.port();
    if (result instanceof IkeProbeResult.Silent silent) {
      return Optional.of("the peer " + where + " does not answer IKE (" + silent.requestsSent() + " IKE_SA_INIT probes, "
          + silent.waited().toMillis() + " ms): the path is cut or the peer is down, and tearing the IKE SA down would"
          + " only make the traffic wait for IKE retransmissions once it is back");
    }
    if (result instanceof IkeProbeResult.Failed failed && !failed.reason().startsWith("cannot bind")) {
      return Optional.of("the peer " + where + " cannot be reached for IKE (" + failed.reason() + "): tearing the IKE SA"
          + " down would not help until it can");
    }
    return Optional.empty(); // answered, or the probe cannot be sent from the IKE SA's address
  }
}
