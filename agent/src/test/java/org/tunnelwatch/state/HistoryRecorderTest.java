package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
    assertThat(dir.resolve(HistoryFile.NAME)).exists();
  }
}
