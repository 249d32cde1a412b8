package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.LoopbackTunnels;
import org.tunnelwatch.agent.AgentRuns;

/**
 * The packaged agent stopped (SIGTERM) the moment its start has got to a given log line: while
 * the agent is being built, and right after it said it runs (which is when READY=1 goes out, and
 * when systemd may stop it). Either way it stops as on any SIGTERM: both stop lines, status 143,
 * no stack trace.
 */
class StopDuringStartIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static final long WAIT_NANOS = Duration.ofSeconds(60).toNanos();

  @org.junit.jupiter.api.io.TempDir Path dir;
  private AgentRuns runs;

  @BeforeEach
  void agentRuns() {
    runs = new AgentRuns(dir);
  }

  @AfterEach
  void stop() throws Exception {
    runs.close();
  }

  @ParameterizedTest(name = "SIGTERM at \"{0}\"")
  @ValueSource(strings = {"probe engine:", "tunnel(s) through"})
  void aStopAtAnyPointOfTheStartStopsCleanly(String line) throws Exception {
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, LoopbackTunnels.yaml("127.0.0.1:" + FreePorts.any(), dir.resolve("state"), "t1"));
    Process agent = runs.start(List.of("java", "-jar", JAR.toString(), "run", "--config", file.toString()));
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!runs.log(agent).contains(line)) {
      assertThat(agent.isAlive()).as(runs.log(agent)).isTrue();
      assertThat(System.nanoTime()).as("the start got to %s", line).isLessThan(deadline);
      Thread.sleep(1);
    }

    agent.destroy(); // SIGTERM

    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = runs.log(agent);
    assertThat(agent.exitValue()).as(log).isEqualTo(143);
    assertThat(log).contains("RunCommand: signal received, shutting down").endsWith("RunCommand: stopped\n").doesNotContain("Exception");
  }
}
