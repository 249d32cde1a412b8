package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The systemd watchdog against the real agent: a stopped agent, an agent whose probing path
 * hangs and one whose round clock is held all stop sending WATCHDOG=1, and systemd kills and
 * restarts them. WatchdogSec is
 * shortened to 10 s by a drop-in, as an operator would override it.
 */
class SystemdWatchdogIT extends MachineScenario {

  private static final Duration WATCHDOG = Duration.ofSeconds(10);
  /** The unit's RestartSec: systemd's SIGABRT (with a SIGCONT after it) ends the agent at once. */
  private static final Duration RESTART = Duration.ofSeconds(5);
  private static final Duration MARGIN = Duration.ofSeconds(20);

  @BeforeEach
  void installWithAShortWatchdog() {
    machine.dpkgInstall(builtDeb());
    machine.write("/etc/systemd/system/tunnelwatch.service.d/watchdog.conf", "[Service]\nWatchdogSec=" + WATCHDOG.toSeconds() + "s\n");
    machine.ok("systemctl", "daemon-reload");
    applyConfig(config("vici", "", ""));
    assertThat(machine.show(UNIT, "WatchdogUSec")).isEqualTo(WATCHDOG.toSeconds() + "s");
  }

  @Test
  void aStoppedAgentIsKilledAndRestartedWithinTheWatchdogTimeAndAMargin() {
    String before = machine.show(UNIT, "MainPID");
    long stopped = System.nanoTime();

    assertThat(Lab.run(List.of("kill", "-STOP", Long.toString(machine.hostPid(UNIT)))).exitCode()).isZero();

    Duration bound = WATCHDOG.plus(RESTART).plus(MARGIN);
    await("restarted by systemd").atMost(bound).pollInterval(Duration.ofMillis(250))
        .until(() -> machine.show(UNIT, "NRestarts").equals("1") && !machine.show(UNIT, "MainPID").equals("0"));
    System.out.printf("SIGSTOP to restarted: %.1f s (bound %d s)%n", (System.nanoTime() - stopped) / 1e9, bound.toSeconds());
    assertThat(machine.show(UNIT, "MainPID")).isNotEqualTo(before);
    assertThat(machine.messages(UNIT)).anyMatch(m -> m.contains("Watchdog timeout"));
    awaitStatus("1/1 tunnels up");
  }

  /**
   * The native ICMP engine's one thread is held still by a tracer that is itself stopped (strace
   * attached to that thread alone, then SIGSTOP to strace): the engine stops answering while
   * every other thread of the agent runs on. The round then outlives its limit, the round-progress
   * watchdog stops the keep-alives, and systemd's watchdog fires. A thread held by a tracer can
   * only be reaped once the tracer lets go, so the tracer is ended once systemd has said so.
   */
  @Test
  void aHungProbingPathStopsTheKeepAlivesAndEndsInARestart() throws Exception {
    holdThreadUntilRestarted(name -> name.equals("icmp-engine"), "round running for");
  }

  /**
   * The round clock's thread held the same way: no round is in flight to outlive its limit, but
   * none starts either, and the watchdog stops the keep-alives for that too.
   */
  @Test
  void aHeldRoundClockStopsTheKeepAlivesAndEndsInARestart() throws Exception {
    holdThreadUntilRestarted(name -> name.startsWith("round-clock-"), "no round started for");
  }

  private void holdThreadUntilRestarted(Predicate<String> threadName, String why) throws Exception {
    String before = machine.show(UNIT, "MainPID");
    long held = thread(machine.hostPid(UNIT), threadName);
    Process tracer = new ProcessBuilder("strace", "-o", "/dev/null", "-p", Long.toString(held)).redirectErrorStream(true).start();
    try {
      await("strace attached").atMost(Duration.ofSeconds(10)).until(() -> tracerOf(held) == tracer.pid());
      assertThat(Lab.run(List.of("kill", "-STOP", Long.toString(tracer.pid()))).exitCode()).isZero();

      await("the agent says its rounds are stuck").atMost(BOUND.multipliedBy(2))
          .until(() -> machine.messages(UNIT).stream().anyMatch(m -> m.contains("probe rounds are stuck") && m.contains(why)));
      await("systemd's watchdog fired").atMost(WATCHDOG.plus(MARGIN))
          .until(() -> machine.messages(UNIT).stream().anyMatch(m -> m.contains("Watchdog timeout")));
    } finally {
      tracer.destroyForcibly();
      tracer.waitFor();
    }
    await("restarted by systemd").atMost(RESTART.plus(MARGIN))
        .until(() -> machine.show(UNIT, "NRestarts").equals("1") && !machine.show(UNIT, "MainPID").equals("0"));
    assertThat(machine.show(UNIT, "MainPID")).isNotEqualTo(before);
    awaitStatus("1/1 tunnels up");
  }

  /** The host's id of the thread of process {@code pid} whose name {@code name} accepts. */
  private static long thread(long pid, Predicate<String> name) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        if (name.test(Files.readString(task.resolve("comm")).strip())) {
          return Long.parseLong(task.getFileName().toString());
        }
      }
    }
    throw new IllegalStateException("no such thread in process " + pid);
  }

  private static long tracerOf(long tid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + tid + "/status")).stream().filter(l -> l.startsWith("TracerPid:"))
        .mapToLong(l -> Long.parseLong(l.substring("TracerPid:".length()).strip())).findFirst().orElse(0);
  }
}
