package org.tunnelwatch.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which probe rounds are running and since when, so that the systemd watchdog is fed only while
 * rounds keep starting and finishing. A round is bounded by its own timeouts; one that runs far
 * past them means the agent is wedged, and a restart by systemd is the cure. So does a tunnel
 * whose rounds no longer start at all (the round clock held up, or its thread gone): with no
 * round in flight there would be nothing to find overdue, and the keep-alives would go on while
 * nothing is probed.
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
    /** How long a round may run. */
    private final long limitNanos;
    /** How often rounds start. */
    private final long intervalNanos;
    private volatile long sinceNanos;
    /** Whether a round ever started: before the first one, a quiet tunnel is not overdue. */
    private volatile boolean everStarted;
    /** Written last when a round starts, so that a reader that sees it sees that round's start. */
    private volatile boolean running;

    private Tracker(String tunnel, long limitNanos, long intervalNanos) {
      this.tunnel = tunnel;
      this.limitNanos = limitNanos;
      this.intervalNanos = intervalNanos;
    }

    /** A round began at {@code nowNanos}. */
    void started(long nowNanos) {
      this.sinceNanos = nowNanos;
      this.everStarted = true;
      this.running = true;
    }

    void finished() {
      running = false;
    }
  }

  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

  /**
   * The tracker of {@code tunnel}'s rounds, the same one on every call: each round should be over
   * within {@code limit}, and rounds start every {@code interval} (a generation's tunnel keeps
   * both; the first call's are kept).
   */
  Tracker tracker(String tunnel, Duration limit, Duration interval) {
    return trackers.computeIfAbsent(tunnel, name -> new Tracker(name, limit.toNanos(), interval.toNanos()));
  }

  /**
   * The tunnels whose current round has run longer than its limit, and those whose next round
   * is overdue, as log text. A firing is skipped only while a round is in flight, which ends
   * within the limit, and the next firing comes an interval later at most: so with no round in
   * flight, a start older than the limit and two intervals (one for the clock's lateness) means
   * the rounds stopped starting.
   */
  List<String> stalled(long nowNanos) {
    List<String> stalled = new ArrayList<>();
    for (Tracker tracker : trackers.values()) {
      if (!tracker.everStarted) {
        continue;
      }
      // running first: a reader that sees a round running sees its start (written before it).
      boolean running = tracker.running;
      long sinceStartNanos = nowNanos - tracker.sinceNanos;
      if (running) {
        if (sinceStartNanos > tracker.limitNanos) {
          stalled.add("tunnel=" + tracker.tunnel + " round running for " + seconds(sinceStartNanos));
        }
      } else if (sinceStartNanos > tracker.limitNanos + 2 * tracker.intervalNanos) {
        stalled.add("tunnel=" + tracker.tunnel + " no round started for " + seconds(sinceStartNanos));
      }
    }
    stalled.sort(null);
    return stalled;
  }

  private static String seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds() + "s";
  }
}
