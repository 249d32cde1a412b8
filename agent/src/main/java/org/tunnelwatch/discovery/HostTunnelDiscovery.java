package org.tunnelwatch.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.DiscoveredTunnel;
import org.tunnelwatch.config.DiscoverySettings;
import org.tunnelwatch.config.DiscoverySource;
import org.tunnelwatch.config.TunnelDiscovery;
import org.tunnelwatch.ipsec.vici.ViciBackend;
import org.tunnelwatch.ipsec.vici.ViciClient;

/**
 * {@code tunnels: auto}: discovery on this host, run by the configuration loader at start and on
 * every reload. Complete tunnels are returned; the warnings, and the tunnels that need a hand
 * (a TODO), are logged, one line each. Thread-safe.
 *
 * <p>The {@code discovery.source} value picks the {@link ConnectionSource}: {@code ipsec-conf}
 * or {@code vici} ({@code list-conns} at the backend's socket).
 */
public final class HostTunnelDiscovery implements TunnelDiscovery {

  private static final Logger log = LoggerFactory.getLogger(HostTunnelDiscovery.class);

  /** list-conns answers at once; anything slower means charon is stuck. */
  private static final Duration VICI_TIMEOUT = Duration.ofSeconds(10);

  private final HostInterfaces host;

  public HostTunnelDiscovery() {
    this(new SystemInterfaces());
  }

  public HostTunnelDiscovery(HostInterfaces host) {
    this.host = host;
  }

  @Override
  public List<DiscoveredTunnel> discover(DiscoverySettings settings) throws Failed {
    ConnectionSource source = source(settings);
    TunnelPlanner.Plan plan;
    try {
      plan = new TunnelPlanner(host).plan(source.read());
    } catch (DiscoveryException e) {
      throw new Failed(e.getMessage());
    }
    for (Diagnostic d : plan.diagnostics()) {
      log.warn("discovery: {}", d);
    }
    return plan.ready().stream()
        .map(t -> new DiscoveredTunnel(t.name(), t.ike(), t.child(), t.source().orElseThrow(), t.targets()))
        .toList();
  }

  private ConnectionSource source(DiscoverySettings settings) throws Failed {
    if (settings.source() == DiscoverySource.VICI) {
      if (!settings.viciUri().startsWith("unix://")) {
        throw new Failed("discovery through vici needs backend.uri to be unix:///path, found " + settings.viciUri());
      }
      return new ViciConnectionSource(new ViciClient(ViciBackend.socketPath(settings.viciUri()), VICI_TIMEOUT), settings.viciUri());
    }
    Optional<Side> local = settings.local().map(s -> Side.valueOf(s.name()));
    return new IpsecConfSource(settings.ipsecConf(), settings.ipsecConf().toString(), host, local);
  }
}
