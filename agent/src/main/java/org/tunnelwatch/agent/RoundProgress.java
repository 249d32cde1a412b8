package org.tunnelwatch.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which probe rounds are running and since when, so that the systemd watchdog is fed only while
 * rounds keep finishing. A round is bounded by its own timeouts; one that runs far past them
 * means the agent is wedged, and a restart by systemd is the cure.
 *
 * <p>Thread-safe.
 */
final class RoundProgress {

  private record Running(long sinceNanos, Duration limit) {}

  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /** A round of {@code tunnel} began; it should be over within {@code limit}. */
  void started(String tunnel, long nowNanos, Duration limit) {
    running.put(tunnel, new Running(nowNanos, limit));
  }

  void finished(String tunnel) {
    running.remove(tunnel);
  }

  /** The tunnels whose current round has run longer than its limit, as log text. */
  List<String> stalled(long nowNanos) {
    List<String> stalled = new ArrayList<>();
    running.forEach(
        (tunnel, round) -> {
          long ranNanos = nowNanos - round.sinceNanos();
          if (ranNanos > round.limit().toNanos()) {
            stalled.add("tunnel=" + tunnel + " round running for " + Duration.ofNanos(ranNanos).toSeconds() + "s");
          }
        });
    stalled.sort(null);
    return stalled;
  }
}
