package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.tunnelwatch.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.ConfigLoader;

/**
 * Nothing on the network can make the agent act: a real agent (not dry-run) on loopback whose
 * swanctl and restart-service commands write down every call, asked with every HTTP method on
 * every endpoint and on paths an attacker might guess. Only GET and HEAD are answered, and the
 * daemon only ever hears {@code --list-sas}.
 */
class ReadOnlyApiTest {

  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "REPAIR");
  private static final List<String> ENDPOINTS = List.of("/metrics", "/healthz", "/api/v1/tunnels");
  private static final List<String> GUESSES =
      List.of("/api/v1/tunnels/alpha", "/api/v1/tunnels/alpha/repair", "/api/v1/actions", "/-/reload", "/-/quit", "/api/v1/restart");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void everyMethodButGetAndHeadIsRefusedAndNoRequestReachesTheDaemon() throws Exception {
    Path calls = dir.resolve("calls");
    Path swanctl = dir.resolve("swanctl");
    Files.writeString(swanctl, "#!/bin/sh\necho \"swanctl $*\" >> '" + calls + "'\n");
    Files.setPosixFilePermissions(swanctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port = FreePorts.any();
    String yaml = """
        listen: "127.0.0.1:%d"
        state-dir: %s
        backend: { type: swanctl, swanctl: %s, restart-service: "echo restart-service >> '%s'", timeout: 2s }
        defaults: { interval: 1s, count: 1, timeout: 200ms }
        tunnels:
          - { name: alpha, child: net, source: 127.0.0.1, targets: [127.0.0.1] }
        """.formatted(port, dir.resolve("state"), swanctl, calls);
    agent = Agent.start(new ConfigLoader().parse("test.yml", yaml));
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(calls));

    for (String path : ENDPOINTS) {
      for (String method : METHODS) {
        HttpResponse<String> response = send(port, method, path);
        boolean readOnly = method.equals("GET") || method.equals("HEAD");
        assertThat(response.statusCode()).as(method + " " + path).isEqualTo(readOnly ? 200 : 405);
      }
    }
    for (String path : GUESSES) {
      for (String method : METHODS) {
        assertThat(send(port, method, path).statusCode()).as(method + " " + path).isEqualTo(404);
      }
    }
    Thread.sleep(1500); // a round or so, for anything the requests might have set off
    assertThat(Files.readAllLines(calls)).isNotEmpty().allMatch(line -> line.startsWith("swanctl --list-sas"));
  }

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    HttpRequest.BodyPublisher body =
        method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{\"action\":\"restart-service\"}");
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).method(method, body).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
