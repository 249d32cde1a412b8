package org.tunnelwatch.tunnel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;

/**
 * Everything one probe round of one tunnel observed.
 *
 * @param tunnel the tunnel's name
 * @param at wall-clock time of the round, for display
 * @param echoes one result per target
 * @param uplink the uplink's state, if the tunnel has an uplink
 * @param sa the daemon's view of the tunnel's SAs, if it could be read
 * @param saError why the SAs could not be read, if so
 * @param sample the round summed up for the health state machine
 */
public record TunnelRound(
    String tunnel,
    Instant at,
    List<EchoResult> echoes,
    Optional<LinkState> uplink,
    Optional<SaStatus> sa,
    Optional<String> saError,
    RoundSample sample) {

  public TunnelRound {
    echoes = List.copyOf(echoes);
  }

  /** Whether the uplink is usable; a tunnel without an uplink counts as having one. */
  public boolean uplinkUp() {
    return uplink.map(LinkState::isUp).orElse(true);
  }

  /** Why no echo of the round could be sent, if none could (the first probe error). */
  public Optional<String> unsent() {
    return sample.sent() == 0 ? probeError() : Optional.empty();
  }

  /** The first probe error of the round (for example a missing source address), if any. */
  public Optional<String> probeError() {
    return echoes.stream()
        .filter(e -> !e.detail().isEmpty())
        .map(e -> IpAddresses.toText(e.target()) + ": " + e.detail())
        .findFirst();
  }
}
