package org.tunnelwatch.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Real Quartz with real time; assertions are about behaviour (overlap, firing), not speed. */
class AgentSchedulerTest {

  @Test
  void aCronJobFires() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (AgentScheduler scheduler = new AgentScheduler("test-cron", 2)) {
      scheduler.cron("every-second", "* * * * * ?", runs::incrementAndGet);
      scheduler.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 1);
    }
  }

  @Test
  void aSlowJobNeverOverlapsItselfAndDoesNotCatchUpOnMissedFirings() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();
    try (AgentScheduler scheduler = new AgentScheduler("test-overlap", 4)) {
      scheduler.every(
          "slow",
          Duration.ofMillis(100),
          Duration.ZERO,
          () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              Thread.sleep(400);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            runs.incrementAndGet();
          });
      scheduler.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(mostAtOnce.get()).isEqualTo(1);
    // Had missed firings been made up, runs would approach elapsed/100ms; each run takes 400ms.
    assertThat(runs.get()).isLessThanOrEqualTo((int) (elapsedMillis / 400) + 1);
  }

  @Test
  void aTaskThatThrowsKeepsBeingScheduled() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (AgentScheduler scheduler = new AgentScheduler("test-throw", 2)) {
      scheduler.every(
          "throws",
          Duration.ofMillis(100),
          Duration.ZERO,
          () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("bug in a task");
          });
      scheduler.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
    }
  }
}
