package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reloads against a stand-in for the configuration file (a version number) and a reload that
 * reads it and is held up at will, with SIGHUPs coming from many threads at once, as the JVM's
 * signal dispatcher delivers them.
 */
class SerialReloadsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SerialReloads reloads = SerialReloads.start();
  private final AtomicInteger file = new AtomicInteger();
  private final List<Integer> applied = new CopyOnWriteArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final ExecutorService signals = Executors.newFixedThreadPool(8);
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private final AtomicInteger begun = new AtomicInteger();

  /** Reads the "file", then waits while held, then applies what it read. */
  private void reload() {
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    int read = file.get();
    begun.incrementAndGet();
    try {
      hold.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    applied.add(read);
    running.decrementAndGet();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    reloads.close();
    signals.shutdownNow();
  }

  @Test
  void hangupsDuringASlowReloadGiveOneMoreReloadOfTheLatestFileAfterIt() throws Exception {
    reloads.started(this::reload);
    hold = new CountDownLatch(1);
    file.set(1);
    reloads.hangup();
    await().atMost(WAIT).until(() -> begun.get() == 1);

    hangupsAfterEdits(2, 41);
    hold.countDown();

    await().atMost(WAIT).until(() -> applied.contains(41));
    assertThat(applied).containsExactly(1, 41);
    assertThat(mostAtOnce.get()).as("reloads at once").isEqualTo(1);
  }

  /**
   * Versions {@code first} to {@code last} of the file, each written and followed by a hangup on a
   * signal thread of its own, all at once, as a burst of SIGHUPs after edits arrives.
   */
  private void hangupsAfterEdits(int first, int last) throws InterruptedException {
    CountDownLatch sent = new CountDownLatch(last - first + 1);
    for (int i = first; i <= last; i++) {
      int version = i;
      signals.execute(() -> {
        file.accumulateAndGet(version, Math::max);
        reloads.hangup();
        sent.countDown();
      });
    }
    assertThat(sent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theLastReloadAlwaysReadsTheFileAfterTheLastHangup() throws Exception {
    reloads.started(this::reload);
    hangupsAfterEdits(1, 200);
    await().atMost(WAIT).until(() -> !applied.isEmpty() && applied.get(applied.size() - 1) == 200);
    assertThat(applied).isSorted();
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void aHangupBeforeTheStartIsCarriedOutOnceAfterIt() throws Exception {
    file.set(7);
    reloads.hangup();
    reloads.hangup();
    reloads.started(this::reload);
    await().atMost(WAIT).until(() -> applied.contains(7));
    file.set(8);
    reloads.hangup();
    await().atMost(WAIT).until(() -> applied.contains(8));
    assertThat(applied).containsExactly(7, 8);
  }

  @Test
  void afterCloseNoReloadStarts() throws Exception {
    reloads.started(this::reload);
    reloads.close();
    reloads.hangup();
    await().atMost(WAIT).until(() -> !reloads.working());
    assertThat(begun.get()).isZero();
  }
}
