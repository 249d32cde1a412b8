package org.tunnelwatch.agent;

import java.util.List;
import org.tunnelwatch.health.TunnelState;

/** The agent's state in one line, for systemd's {@code STATUS=} ({@code systemctl status}). */
final class StatusLine {

  private StatusLine() {}

  /** {@code 2/3 tunnels up}, and what the others are when any is down or not yet known. */
  static String of(List<TunnelState> tunnels, boolean dryRun) {
    long up = tunnels.stream().filter(TunnelState::carriesTraffic).count();
    long down = tunnels.stream().filter(t -> t == TunnelState.DOWN).count();
    long unknown = tunnels.stream().filter(t -> t == TunnelState.UNKNOWN).count();
    StringBuilder line = new StringBuilder().append(up).append('/').append(tunnels.size()).append(" tunnels up");
    if (down > 0) {
      line.append(", ").append(down).append(" down");
    }
    if (unknown > 0) {
      line.append(", ").append(unknown).append(" not probed yet");
    }
    if (dryRun) {
      line.append(" (dry-run)");
    }
    return line.toString();
  }
}
