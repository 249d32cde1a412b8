package org.tunnelwatch.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: the edge this class exists for. */
class ProcessCommandRunnerTest {

  private final ProcessCommandRunner runner = new ProcessCommandRunner(4096);

  @Test
  void capturesExitCodeAndBothStreams() {
    CommandResult result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.timedOut()).isFalse();
    assertThat(result.summary()).isEqualTo("exit 3: err");
  }

  @Test
  void aMissingProgramIsAResultNotAnException() {
    CommandResult result = runner.run(List.of("/nonexistent/program"), Duration.ofSeconds(1));
    assertThat(result.exitCode()).isEqualTo(127);
    assertThat(result.stderr()).startsWith("cannot run /nonexistent/program");
  }

  @Test
  void aHangingCommandIsKilledWithEveryProcessItStarted(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    CommandResult result =
        runner.run(
            List.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; sleep 300"), Duration.ofMillis(500));
    assertThat(result.timedOut()).isTrue();
    assertThat(result.summary()).startsWith("killed after timeout");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    // Killed at once; the orphaned zombie may take a moment to be reaped by init.
    await().atMost(Duration.ofSeconds(5)).until(() -> !running(child));
  }

  @Test
  void closingKillsEveryProgramRunningWithItsChildrenAndStartsNoneAfter(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("child.pid");
    ProcessCommandRunner closing = new ProcessCommandRunner();
    java.util.concurrent.CompletableFuture<CommandResult> hung = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> closing.run(List.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait"), Duration.ofMinutes(10)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    long child = Long.parseLong(Files.readString(pidFile).strip());

    closing.close();

    CommandResult result = hung.get(30, java.util.concurrent.TimeUnit.SECONDS); // its own timeout is ten minutes
    assertThat(result.succeeded()).isFalse();
    assertThat(result.summary()).isEqualTo("exit -1: killed: the agent is stopping");
    await().atMost(Duration.ofSeconds(5)).until(() -> !running(child));
    Path ran = dir.resolve("ran");
    CommandResult after = closing.run(List.of("touch", ran.toString()), Duration.ofSeconds(10));
    assertThat(after.summary()).isEqualTo("exit -1: not run: the agent is stopping");
    assertThat(ran).doesNotExist();
  }

  /** Alive and not a zombie, from /proc/PID/stat. */
  private static boolean running(long pid) throws java.io.IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String text = Files.readString(stat);
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  @Test
  void floodedOutputIsCutAtTheLimitWithoutBlocking() {
    CommandResult result = runner.run(List.of("sh", "-c", "head -c 10000000 /dev/zero | tr '\\0' x"), Duration.ofSeconds(20));
    assertThat(result.timedOut()).isFalse();
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).hasSize(4096);
    assertThat(result.stdoutCut()).isTrue();
  }

  @Test
  void outputOfExactlyTheLimitIsWhole() {
    CommandResult result = runner.run(List.of("sh", "-c", "head -c 4096 /dev/zero | tr '\\0' x"), Duration.ofSeconds(20));
    assertThat(result.stdout()).hasSize(4096);
    assertThat(result.stdoutCut()).isFalse();
  }
}
