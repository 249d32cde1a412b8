package org.tunnelwatch.agent;

import java.util.List;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.tunnel.FailoverStatus;

/** The agent's state in one line, for systemd's {@code STATUS=} ({@code systemctl status}). */
final class StatusLine {

  private StatusLine() {}

  /** {@link #of(List, boolean, List)} without failover groups. */
  static String of(List<TunnelState> tunnels, boolean dryRun) {
    return of(tunnels, dryRun, List.of());
  }

  /**
   * {@code 2/3 tunnels up}, and what the others are when any is down or not yet known, and each
   * failover group whose traffic goes through a backup: {@code 6/6 tunnels up; central on via-hub-b}.
   */
  static String of(List<TunnelState> tunnels, boolean dryRun, List<FailoverStatus> groups) {
    // One plain loop: the line is built after rounds (see Generation's RoundReporter), so it
    // should cost a walk of the list, not three streams.
    int up = 0;
    int down = 0;
    int unknown = 0;
    for (TunnelState tunnel : tunnels) {
      if (tunnel.carriesTraffic()) {
        up++;
      }
      if (tunnel == TunnelState.DOWN) {
        down++;
      } else if (tunnel == TunnelState.UNKNOWN) {
        unknown++;
      }
    }
    StringBuilder line = new StringBuilder().append(up).append('/').append(tunnels.size()).append(" tunnels up");
    if (down > 0) {
      line.append(", ").append(down).append(" down");
    }
    if (unknown > 0) {
      line.append(", ").append(unknown).append(" not probed yet");
    }
    for (FailoverStatus group : groups) {
      if (group.onBackup()) {
        line.append("; ").append(group.name()).append(" on ").append(group.active());
      }
    }
    if (dryRun) {
      line.append(" (dry-run)");
    }
    return line.toString();
  }
}
