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

  @Test
  void aRoundWithinItsLimitFeedsTheWatchdog() {
    progress.tracker("a").started(time.monotonicNanos(), Duration.ofSeconds(10).toNanos());
    time.advance(Duration.ofSeconds(10));
    watchdog.run();
    assertThat(fed).hasValue(1);
  }

  @Test
  void aRoundPastItsLimitStopsTheKeepAlives() {
    progress.tracker("a").started(time.monotonicNanos(), Duration.ofSeconds(10).toNanos());
    progress.tracker("b").started(time.monotonicNanos(), Duration.ofSeconds(60).toNanos());
    time.advance(Duration.ofSeconds(11));

    watchdog.run();
    watchdog.run();

    assertThat(fed).hasValue(0);
    assertThat(progress.stalled(time.monotonicNanos())).containsExactly("tunnel=a round running for 11s");
  }

  @Test
  void theKeepAlivesResumeWhenTheRoundFinishes() {
    progress.tracker("a").started(time.monotonicNanos(), Duration.ofSeconds(10).toNanos());
    time.advance(Duration.ofSeconds(30));
    watchdog.run();
    progress.tracker("a").finished();
    watchdog.run();
    assertThat(fed).hasValue(1);
  }

  @Test
  void withNoRoundRunningTheWatchdogIsFed() {
    watchdog.run();
    assertThat(fed).hasValue(1);
  }
}
