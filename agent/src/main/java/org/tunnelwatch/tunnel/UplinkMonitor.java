package org.tunnelwatch.tunnel;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tunnelwatch.config.UplinkConfig;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.LinkStateReader;

/**
 * Reads the uplinks' interface state when a tunnel's round asks for it, and reports changes.
 * Thread-safe: tunnels sharing an uplink read it from their own threads.
 */
public final class UplinkMonitor {

  private final Map<String, UplinkConfig> uplinks;
  private final LinkStateReader reader;
  private final TunnelEvents events;
  private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();

  public UplinkMonitor(Map<String, UplinkConfig> uplinks, LinkStateReader reader, TunnelEvents events) {
    this.uplinks = Map.copyOf(uplinks);
    this.reader = reader;
    this.events = events;
  }

  /** The uplink's state now, or empty when there is no uplink of that name. */
  public Optional<LinkState> check(String uplink) {
    UplinkConfig config = uplinks.get(uplink);
    if (config == null) {
      return Optional.empty();
    }
    LinkState state = reader.read(config.interfaceName());
    Boolean before = lastUp.put(uplink, state.isUp());
    if (before == null || before != state.isUp()) {
      events.uplinkChanged(uplink, state);
    }
    return Optional.of(state);
  }

  /** Reads every uplink once, so that their metrics exist from the start. */
  public void checkAll() {
    uplinks.keySet().forEach(this::check);
  }
}
