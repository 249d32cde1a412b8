package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.agent.AgentRuns;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.LoopbackTunnels;

/**
 * The packaged agent and real SIGHUPs sent in a burst, each after a new version of the file: the
 * JVM hands each signal to a thread of its own, so the reloads they ask for overlap. Whatever
 * order they run in, the agent must end up running the file's last version.
 */
class ReloadSignalsIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int VERSIONS = 30;
  private static final Pattern RELOADED_AT = Pattern.compile("(?m)^tunnelwatch_config_last_reload_success_timestamp_seconds (\\S+)$");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private AgentRuns runs;

  @BeforeEach
  void agentRuns() {
    runs = new AgentRuns(dir);
  }

  @AfterEach
  void stop() throws Exception {
    runs.close();
  }

  private String get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private String lastReloadStamp(int port) throws Exception {
    Matcher m = RELOADED_AT.matcher(get(port, "/metrics"));
    return m.find() ? m.group(1) : "";
  }

  @Test
  void aBurstOfHangupsEndsWithTheFilesLastVersionInUse() throws Exception {
    int port = FreePorts.any();
    Path file = dir.resolve("tunnelwatch.yml");
    String listen = "127.0.0.1:" + port;
    Files.writeString(file, LoopbackTunnels.yaml(listen, dir.resolve("state"), "v0"));
    Process agent = runs.start(List.of("java", "-jar", JAR.toString(), "run", "--config", file.toString()));
    await().atMost(WAIT).ignoreExceptions().until(() -> get(port, "/api/v1/tunnels").contains("\"v0\""));

    List<Process> kills = new ArrayList<>();
    for (int v = 1; v <= VERSIONS; v++) {
      Path next = dir.resolve("next.yml");
      Files.writeString(next, LoopbackTunnels.yaml(listen, dir.resolve("state"), "v" + v));
      Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      kills.add(new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start());
    }
    for (Process kill : kills) {
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    // Reloads have stopped once the success stamp stays put for a while; then look.
    String[] seen = {""};
    await("the reloads come to an end").atMost(WAIT).pollInterval(Duration.ofSeconds(3)).until(() -> {
      String now = lastReloadStamp(port);
      boolean settled = !now.isEmpty() && now.equals(seen[0]);
      seen[0] = now;
      return settled;
    });
    String tunnels = get(port, "/api/v1/tunnels");
    assertThat(tunnels).as("the file says v" + VERSIONS).contains("\"v" + VERSIONS + "\"");
    assertThat(tunnels).doesNotContainPattern("\"v([0-9]|[12][0-9])\"");
    assertThat(agent.isAlive()).isTrue();
  }
}
