package org.tunnelwatch.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.DiscoveredTunnel;
import org.tunnelwatch.config.DiscoverySettings;
import org.tunnelwatch.config.TunnelDiscovery;

/**
 * {@code tunnels: auto}: discovery on this host, run by the configuration loader at start and on
 * every reload. Complete tunnels are returned; the warnings, and the tunnels that need a hand
 * (a TODO), are logged, one line each. Thread-safe.
 *
 * <p>The {@code discovery.source} value picks the {@link ConnectionSource}; VICI {@code
 * list-conns} plugs in here as a second source beside {@code ipsec-conf}.
 */
public final class HostTunnelDiscovery implements TunnelDiscovery {

  private static final Logger log = LoggerFactory.getLogger(HostTunnelDiscovery.class);

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
    if (!settings.source().equals("ipsec-conf")) {
      throw new Failed("unknown discovery source " + settings.source());
    }
    Optional<Side> local = settings.local().map(s -> Side.valueOf(s.toUpperCase(Locale.ROOT)));
    return new IpsecConfSource(settings.ipsecConf(), settings.ipsecConf().toString(), host, local);
  }
}
