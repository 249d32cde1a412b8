package org.tunnelwatch.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.LoopbackTunnels;

/**
 * The packaged agent's log lines outside systemd, as an operator running it by hand sees them:
 * each starts with its time, {@code --log.format=json} writes one object per line with the
 * event's fields, {@code --log.level} filters, and SIGTERM gives one line when stopping and one
 * when stopped. (Under systemd the same is read from the journal: the lab's SystemdMachineIT.)
 */
class LogOutputIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();

  @TempDir Path dir;
  private Process agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Runs the agent on a loopback tunnel until it reports it up, then stops it with SIGTERM. */
  private List<String> runUntilUpAndStop(String... flags) throws Exception {
    Path config = dir.resolve("tunnelwatch.yml");
    int port = FreePorts.any();
    Files.writeString(config, LoopbackTunnels.yaml("127.0.0.1:" + port, dir.resolve("state"), "alpha"));
    Path log = dir.resolve("agent.log");
    List<String> argv = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "run", "--config", config.toString()));
    argv.addAll(List.of(flags));
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    // Inherited from a unit but no longer the journal: stderr is a file here.
    builder.environment().put("JOURNAL_STREAM", "8:1");
    agent = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    await("tunnel alpha up").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> !agent.isAlive() || http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().contains("tunnelwatch_tunnel_up{tunnel=\"alpha\"} 1"));
    assertThat(agent.isAlive()).as(Files.readString(log)).isTrue();
    assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid())).start().waitFor()).isZero();
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return Files.readAllLines(log);
  }

  @Test
  void outsideSystemdEveryLineStartsWithItsTimeAndStoppingIsSaidTwice() throws Exception {
    List<String> lines = runUntilUpAndStop();

    assertThat(lines).isNotEmpty().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* (INFO |WARN |ERROR|DEBUG) .*"), "starts with its time");
    assertThat(lines.get(lines.size() - 2)).endsWith("INFO  RunCommand: signal received, shutting down");
    assertThat(lines.get(lines.size() - 1)).endsWith("INFO  RunCommand: stopped");
  }

  @Test
  void jsonLinesCarryTheEventsFieldsAndDebugLinesAppearAtLevelDebug() throws Exception {
    List<String> lines = runUntilUpAndStop("--log.format=json", "--log.level=debug");

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> objects = new ArrayList<>();
    for (String line : lines) {
      objects.add(mapper.readTree(line));
    }
    assertThat(objects).allMatch(o -> o.has("time") && o.has("level") && o.has("message"));
    assertThat(objects).anyMatch(o -> o.path("level").asText().equals("debug"));
    JsonNode up = objects.stream().filter(o -> o.path("state").asText().equals("up")).findFirst().orElseThrow();
    assertThat(up.path("tunnel").asText()).isEqualTo("alpha");
    assertThat(up.path("logger").asText()).isEqualTo("events");
    assertThat(objects.get(objects.size() - 1).path("message").asText()).isEqualTo("stopped");
  }

  @Test
  void atLevelWarnTheRoutineLinesAreLeftOut() throws Exception {
    List<String> lines = runUntilUpAndStop("--log.level=warn");

    assertThat(lines).noneMatch(l -> l.contains(" INFO "));
  }
}
