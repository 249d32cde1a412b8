package org.tunnelwatch.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.util.List;
import org.tunnelwatch.tunnel.FailoverStatus;
import org.tunnelwatch.tunnel.TunnelStatus;

/**
 * The body of {@code GET /api/v1/tunnels}, and what {@code tunnelwatch status} reads back.
 *
 * @param version the agent's version
 * @param dryRun whether the agent only observes
 * @param tunnels one entry per tunnel, in configuration order
 * @param reauthentication how charon reauthenticates an IKE SA, which the repairs are planned by:
 *     "make-before-break: yes (where that was found)", or no, or unknown
 * @param failover one entry per failover group, in configuration order: which member carries its
 *     traffic
 */
public record StatusReport(
    String version, boolean dryRun, List<TunnelStatus> tunnels, String reauthentication, List<FailoverStatus> failover) {

  public StatusReport {
    failover = failover == null ? List.of() : List.copyOf(failover);
  }

  /** A report that says nothing of reauthentication. */
  public StatusReport(String version, boolean dryRun, List<TunnelStatus> tunnels) {
    this(version, dryRun, tunnels, "unknown");
  }

  /** A report without failover groups. */
  public StatusReport(String version, boolean dryRun, List<TunnelStatus> tunnels, String reauthentication) {
    this(version, dryRun, tunnels, reauthentication, List.of());
  }

  /** JSON with snake_case keys, as usual in HTTP APIs; unknown keys are ignored on reading. */
  public static ObjectMapper json() {
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }
}
