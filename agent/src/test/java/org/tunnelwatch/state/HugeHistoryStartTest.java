package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.ChildProcesses;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.LoopbackTunnels;
import org.tunnelwatch.ShippedHeap;

/**
 * The agent started as the package starts it (a child JVM with the shipped 24 MB heap and
 * {@code -XX:+ExitOnOutOfMemoryError}) over a remediation history far larger than any real one:
 * it sets the file aside and runs, instead of dying at every start.
 */
class HugeHistoryStartTest {

  @TempDir Path dir;

  @Test
  void theAgentSetsAHugeHistoryAsideAndStarts() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    String times = String.join(",", Collections.nCopies(1_500_000, "\"2026-11-27T02:00:00Z\""));
    Files.writeString(state.resolve(HistoryFile.NAME), "{\"version\":1,\"tunnels\":{\"alpha\":{\"actions\":[" + times + "]}}}");
    int port = FreePorts.any();
    Path config = Files.writeString(dir.resolve("tunnelwatch.yml"), LoopbackTunnels.yaml("127.0.0.1:" + port, state, "alpha"));
    Path log = dir.resolve("agent.log");

    Process agent = ShippedHeap.start(log, "run", "--config", config.toString());
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
      Awaitility.await("the agent serving /metrics, or its end")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(() -> !agent.isAlive() || http.send(metrics, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      assertThat(agent.isAlive()).as(Files.readString(log)).isTrue();
      assertThat(Files.readString(log))
          .contains("the remediation history " + state.resolve(HistoryFile.NAME) + " is damaged: larger than 2 MiB, not read");
      assertThat(state.resolve(HistoryFile.NAME + ".corrupt")).exists();
    } finally {
      ChildProcesses.stop(agent);
    }
  }
}
