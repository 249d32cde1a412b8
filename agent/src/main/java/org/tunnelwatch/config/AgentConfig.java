package org.tunnelwatch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tunnelwatch.remedy.SharingPolicy;

/**
 * A whole, validated configuration. Immutable: a reload builds a new one and swaps it in.
 *
 * @param listen where the HTTP endpoints listen
 * @param stateDir where the agent keeps what must survive a restart
 * @param dryRun observe and report, never act
 * @param backend how to reach the IPsec daemon
 * @param uplinks named uplink interfaces, by name
 * @param tunnels the tunnels to watch, each with its settings resolved against the defaults
 * @param maintenance scheduled actions
 * @param web TLS and basic auth for the HTTP endpoints, from {@code web-config}
 * @param alerting where the agent sends its own alerts
 * @param probeEngine how echoes are sent, from {@code probe-engine}
 * @param repairs what repairs of shared objects may cost
 * @param hooks programs run on tunnel events, from {@code hooks}
 * @param failover groups of tunnels that can carry each other's traffic (docs/failover.md)
 */
public record AgentConfig(
    ListenAddress listen,
    Path stateDir,
    boolean dryRun,
    BackendConfig backend,
    Map<String, UplinkConfig> uplinks,
    List<TunnelConfig> tunnels,
    List<MaintenanceConfig> maintenance,
    WebConfig web,
    AlertingConfig alerting,
    ProbeEngine probeEngine,
    SharingPolicy repairs,
    List<HookConfig> hooks,
    List<FailoverGroupConfig> failover) {

  public AgentConfig {
    uplinks = Map.copyOf(uplinks);
    tunnels = List.copyOf(tunnels);
    maintenance = List.copyOf(maintenance);
    hooks = List.copyOf(hooks);
    failover = List.copyOf(failover);
  }

  /** A configuration with the default {@code repairs:} policy, no hooks and no failover groups. */
  public AgentConfig(
      ListenAddress listen,
      Path stateDir,
      boolean dryRun,
      BackendConfig backend,
      Map<String, UplinkConfig> uplinks,
      List<TunnelConfig> tunnels,
      List<MaintenanceConfig> maintenance,
      WebConfig web,
      AlertingConfig alerting,
      ProbeEngine probeEngine) {
    this(listen, stateDir, dryRun, backend, uplinks, tunnels, maintenance, web, alerting, probeEngine, SharingPolicy.DEFAULT, List.of(), List.of());
  }
}
