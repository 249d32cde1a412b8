package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.time.ManualTime;

/** The watchdog's view of the probe rounds, with a manual clock. */
class RoundProgressTest {

  private final ManualTime time = new ManualTime();
  private final RoundProgress progress = new RoundProgress();
  private final AtomicInteger fed = new AtomicInteger();
  private final WatchdogTask watchdog = new WatchdogTask(progress, fed::incrementAndGet, time);

  /** {@code tunnel}'s tracker: rounds every 2 s, each within 10 s. */
  private RoundProgress.Tracker tracker(String tunnel) {
    return progress.tracker(tunnel, Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** A round of {@code tunnel} starts now. */
  private void start(String tunnel) {
    tracker(tunnel).started(time.monotonicNanos());
  }

  @Test
  void aRoundWithinItsLimitFeedsTheWatchdog() {
    start("a");
    time.advance(Duration.ofSeconds(10));
    watchdog.run();
    assertThat(fed).hasValue(1);
  }

  @Test
  void aRoundPastItsLimitStopsTheKeepAlives() {
    start("a");
    progress.tracker("b", Duration.ofSeconds(60), Duration.ofSeconds(2)).started(time.monotonicNanos());
    time.advance(Duration.ofSeconds(11));

    watchdog.run();
    watchdog.run();

    assertThat(fed).hasValue(0);
    assertThat(progress.stalled(time.monotonicNanos())).containsExactly("tunnel=a round running for 11s");
  }

  @Test
  void theKeepAlivesResumeWhenTheRoundFinishes() {
    start("a");
    time.advance(Duration.ofSeconds(30));
    watchdog.run();
    tracker("a").finished();
    start("a");
    watchdog.run();
    assertThat(fed).hasValue(1);
  }

  @Test
  void roundsThatStopStartingStopTheKeepAlives() {
    start("a");
    start("b");
    time.advance(Duration.ofSeconds(1));
    tracker("a").finished();
    tracker("b").finished();
    for (int second = 2; second <= 15; second++) {
      time.advance(Duration.ofSeconds(1));
      if (second % 2 == 0) {
        start("b");
        tracker("b").finished();
      }
    }

    watchdog.run();

    assertThat(fed).hasValue(0);
    assertThat(progress.stalled(time.monotonicNanos())).containsExactly("tunnel=a no round started for 15s");
  }

  @Test
  void aQuietGapWithinTheLimitAndTwoIntervalsIsNoStall() {
    start("a");
    time.advance(Duration.ofSeconds(10));
    tracker("a").finished(); // a long round, just inside its limit
    time.advance(Duration.ofSeconds(4)); // the next firing late by one interval

    watchdog.run();

    assertThat(fed).hasValue(1);
  }

  @Test
  void aTunnelWhoseRoundsHaveNotBegunIsNotOverdue() {
    tracker("a");
    time.advance(Duration.ofMinutes(5));

    watchdog.run();

    assertThat(fed).hasValue(1);
  }

  @Test
  void withNoRoundRunningTheWatchdogIsFed() {
    watchdog.run();
    assertThat(fed).hasValue(1);
  }
}
