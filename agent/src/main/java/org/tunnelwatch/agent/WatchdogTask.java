package org.tunnelwatch.agent;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.time.TimeSource;

/**
 * Feeds the systemd watchdog ({@code WatchdogSec=}) from the probing path: it runs as a job on
 * the same scheduler and worker threads that start the probe rounds, and feeds only while no
 * round has been in flight past its limit. A wedged scheduler, a round whose echoes never come
 * back (a stalled engine), a hung judging or repair thread all stop the keep-alives, and systemd
 * restarts the agent.
 *
 * <p>Runs on one scheduler job at a time; not meant for concurrent calls.
 */
final class WatchdogTask implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(WatchdogTask.class);

  private final RoundProgress progress;
  private final Runnable feed;
  private final TimeSource time;
  private boolean starving;

  WatchdogTask(RoundProgress progress, Runnable feed, TimeSource time) {
    this.progress = progress;
    this.feed = feed;
    this.time = time;
  }

  @Override
  public void run() {
    List<String> stalled = progress.stalled(time.monotonicNanos());
    if (stalled.isEmpty()) {
      starving = false;
      feed.run();
      return;
    }
    if (!starving) {
      starving = true;
      log.error("probe rounds are stuck, no longer feeding the systemd watchdog: {}", String.join(", ", stalled));
    }
  }
}
