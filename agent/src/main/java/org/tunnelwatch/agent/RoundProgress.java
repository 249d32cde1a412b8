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

  /**
   * One tunnel's round, if one is running: written by whichever thread moves the round on, read
   * by the watchdog. A supervisor keeps its tracker, so that starting a round looks nothing up
   * (a hub starts a thousand a second).
   */
  static final class Tracker {

    private final String tunnel;
    private volatile long sinceNanos;
    private volatile long limitNanos;
    /** Written last when a round starts, so that a reader that sees it sees that round's times. */
    private volatile boolean running;

    private Tracker(String tunnel) {
      this.tunnel = tunnel;
    }

    /** A round began at {@code nowNanos}; it should be over within {@code limitNanos}. */
    void started(long nowNanos, long limitNanos) {
      this.sinceNanos = nowNanos;
      this.limitNanos = limitNanos;
      this.running = true;
    }

    void finished() {
      running = false;
    }
  }

  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

  /** The tracker of {@code tunnel}'s rounds, the same one on every call. */
  Tracker tracker(String tunnel) {
    return trackers.computeIfAbsent(tunnel, Tracker::new);
  }

  /** The tunnels whose current round has run longer than its limit, as log text. */
  List<String> stalled(long nowNanos) {
    List<String> stalled = new ArrayList<>();
    for (Tracker tracker : trackers.values()) {
      if (!tracker.running) {
        continue;
      }
      long ranNanos = nowNanos - tracker.sinceNanos;
      if (ranNanos > tracker.limitNanos) {
        stalled.add("tunnel=" + tracker.tunnel + " round running for " + Duration.ofNanos(ranNanos).toSeconds() + "s");
      }
    }
    stalled.sort(null);
    return stalled;
  }
}
