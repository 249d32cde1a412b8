package org.tunnelwatch.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the agent remembers of its repairs across restarts, in wall-clock time (monotonic clocks
 * start again at a reboot). Immutable.
 *
 * @param tunnels by tunnel name
 * @param lastServiceRestart the gateway-wide last restart of the IPsec service, if any
 */
public record RemedyHistory(Map<String, Tunnel> tunnels, Optional<Instant> lastServiceRestart) {

  public RemedyHistory {
    tunnels = java.util.Collections.unmodifiableMap(new TreeMap<>(tunnels));
  }

  public static RemedyHistory empty() {
    return new RemedyHistory(Map.of(), Optional.empty());
  }

  /**
   * One tunnel's repairs.
   *
   * @param actions when actions were taken (the hourly limit counts them), oldest first
   * @param lastAttempt the last action taken or skipped (the settle time runs from it)
   */
  public record Tunnel(List<Instant> actions, Optional<Instant> lastAttempt) {

    public Tunnel {
      actions = List.copyOf(actions);
    }
  }
}
