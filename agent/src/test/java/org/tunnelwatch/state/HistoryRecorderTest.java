package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.time.ManualTime;
import org.tunnelwatch.tunnel.ServiceRestarts;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelRound;

class HistoryRecorderTest {

  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  private static TunnelRound round(String tunnel) {
    return new TunnelRound(tunnel, Instant.EPOCH, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), new RoundSample(0, 0, 0, 0));
  }

  /** Saving is on the writer thread; the file appears whole (it is renamed into place). */
  private void awaitSaved() {
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve(HistoryFile.NAME)));
  }

  private static RemedyState afterActionsAt(long... nanos) {
    List<Long> times = java.util.Arrays.stream(nanos).boxed().toList();
    return new RemedyState(1, OptionalLong.of(nanos[nanos.length - 1]), times, false, false);
  }

  @Test
  void theNextProcessSeesTheSameAgesOnItsOwnMonotonicClock() {
    ManualTime first = new ManualTime();
    first.advance(Duration.ofSeconds(1000));
    HistoryRecorder recorder = new HistoryRecorder(dir, new ServiceRestarts(), first, new TunnelEvents() {});
    recorder.load(List.of("sg1"));
    long now = first.monotonicNanos();
    recorder.roundCompleted(round("sg1"), null, afterActionsAt(now - 600 * SECOND, now - 10 * SECOND));
    awaitSaved();

    // A new process 5 s later, its monotonic clock started from scratch (as after a reboot).
    ManualTime second = new ManualTime();
    second.stepWallClock(Duration.between(second.now(), first.now().plusSeconds(5)));
    ServiceRestarts restarts = new ServiceRestarts();
    var restored = new HistoryRecorder(dir, restarts, second, new TunnelEvents() {}).load(List.of("sg1", "sg2"));

    long then = second.monotonicNanos();
    assertThat(restored).containsOnlyKeys("sg1");
    assertThat(restored.get("sg1").actionTimesNanos()).containsExactly(then - 605 * SECOND, then - 15 * SECOND);
    assertThat(restored.get("sg1").lastAttemptNanos()).hasValue(then - 15 * SECOND);
    assertThat(restarts.last()).isEmpty();
  }

  @Test
  void actionsOlderThanAnHourAreDropped() {
    ManualTime time = new ManualTime();
    time.advance(Duration.ofHours(3));
    HistoryRecorder recorder = new HistoryRecorder(dir, new ServiceRestarts(), time, new TunnelEvents() {});
    long now = time.monotonicNanos();
    recorder.roundCompleted(round("sg1"), null, afterActionsAt(now - 7200 * SECOND, now - 60 * SECOND));
    awaitSaved();
    var restored = new HistoryRecorder(dir, new ServiceRestarts(), time, new TunnelEvents() {}).load(List.of("sg1"));
    assertThat(restored.get("sg1").actionTimesNanos()).containsExactly(now - 60 * SECOND);
  }

  @Test
  void theServiceRestartIsKeptForTheWholeGateway() {
    ManualTime time = new ManualTime();
    ServiceRestarts restarts = new ServiceRestarts();
    HistoryRecorder recorder = new HistoryRecorder(dir, restarts, time, new TunnelEvents() {});
    restarts.recordAt(time.monotonicNanos());
    recorder.roundCompleted(round("sg1"), null, RemedyState.initial());
    awaitSaved();
    time.advance(Duration.ofSeconds(3));
    ServiceRestarts next = new ServiceRestarts();
    new HistoryRecorder(dir, next, time, new TunnelEvents() {}).load(List.of("sg1"));
    assertThat(next.last()).hasValue(time.monotonicNanos() - 3 * SECOND);
  }

  @Test
  void aStoredTimeInTheFutureIsClampedToNow() throws Exception {
    ManualTime time = new ManualTime();
    Files.writeString(dir.resolve(HistoryFile.NAME), """
        {"version": 1, "tunnels": {"sg1": {"actions": ["2099-01-01T00:00:00Z"], "last-attempt": "2099-01-01T00:00:00Z"}}}
        """);
    var restored = new HistoryRecorder(dir, new ServiceRestarts(), time, new TunnelEvents() {}).load(List.of("sg1"));
    assertThat(restored.get("sg1").lastAttemptNanos()).hasValue(time.monotonicNanos());
    assertThat(restored.get("sg1").actionTimesNanos()).containsExactly(time.monotonicNanos());
  }

  @Test
  void onlyRoundsThatChangedTheHistoryWrite() throws Exception {
    ManualTime time = new ManualTime();
    HistoryRecorder recorder = new HistoryRecorder(dir, new ServiceRestarts(), time, new TunnelEvents() {});
    recorder.load(List.of("sg1"));
    recorder.roundCompleted(round("sg1"), null, RemedyState.initial());
    assertThat(dir.resolve(HistoryFile.NAME)).doesNotExist();
    recorder.roundCompleted(round("sg1"), null, afterActionsAt(time.monotonicNanos()));
    awaitSaved();
  }

  /** A state directory whose writes block until released: slow flash, a hung NFS mount. */
  private static final class BlockingStore implements HistoryRecorder.Store {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<RemedyHistory> saved = new CopyOnWriteArrayList<>();

    @Override
    public RemedyHistory load() {
      return RemedyHistory.empty();
    }

    @Override
    public boolean save(RemedyHistory history) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      saved.add(history);
      return true;
    }
  }

  @Test
  void aBlockedStateDirHoldsUpNoRoundAndTheActionWaitsForItsOwnSave() throws Exception {
    ManualTime time = new ManualTime();
    BlockingStore store = new BlockingStore();
    HistoryRecorder recorder = new HistoryRecorder(store, new ServiceRestarts(), time);
    recorder.load(List.of("sg1", "sg2", "sg3"));
    long now = time.monotonicNanos();
    CompletableFuture<Void> action = CompletableFuture.runAsync(() -> recorder.actionStarting("sg1", afterActionsAt(now)));
    assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();

    // Other tunnels' rounds, even ones that change the history, return while the disk is stuck.
    assertTimeoutPreemptively(Duration.ofSeconds(4), () -> {
      recorder.roundCompleted(round("sg2"), null, afterActionsAt(now));
      recorder.roundCompleted(round("sg3"), null, afterActionsAt(now));
    });
    assertThat(action).isNotDone();

    store.release.countDown();
    action.get(10, TimeUnit.SECONDS);
    assertThat(store.saved.get(0).tunnels().get("sg1").actions()).hasSize(1);
    // The changes that came while the first save hung are folded into one more save.
    await().atMost(Duration.ofSeconds(10)).until(() -> store.saved.size() == 2);
    assertThat(store.saved.get(1).tunnels().values()).allSatisfy(t -> assertThat(t.actions()).hasSize(1));
    Thread.sleep(200); // a third save, if one wrongly followed, would have started by now
    assertThat(store.saved).hasSize(2);
  }

  @Test
  void anActionWhoseRoundWasRecordedFirstStillWaitsForTheSaveThatHoldsIt() throws Exception {
    ManualTime time = new ManualTime();
    BlockingStore store = new BlockingStore();
    HistoryRecorder recorder = new HistoryRecorder(store, new ServiceRestarts(), time);
    recorder.load(List.of("sg1"));
    RemedyState planned = afterActionsAt(time.monotonicNanos());
    recorder.roundCompleted(round("sg1"), null, planned); // the round that planned the action ends first
    assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> action = CompletableFuture.runAsync(() -> recorder.actionStarting("sg1", planned));
    Thread.sleep(200); // the action, if it did not wait, would have gone on by now
    assertThat(action).as("the action waits until its save is on disk").isNotDone();
    store.release.countDown();
    action.get(10, TimeUnit.SECONDS);
    assertThat(store.saved.get(0).tunnels().get("sg1").actions()).hasSize(1);
  }
}
