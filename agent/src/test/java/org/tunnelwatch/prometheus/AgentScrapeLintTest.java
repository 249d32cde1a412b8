package org.tunnelwatch.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tunnelwatch.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.agent.Agent;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;

/**
 * A scrape of a running agent follows the Prometheus conventions: {@code promtool check
 * metrics} reports nothing. The agent runs in this JVM, in dry-run, probing 127.0.0.1 from
 * 127.0.0.1 (real ping, loopback only) with a swanctl that always fails, so that every series,
 * the SA ones included, is in the scrape.
 */
class AgentScrapeLintTest {

  @TempDir Path dir;

  @Test
  void promtoolFindsNothingToCriticiseInALiveScrape() throws Exception {
    Tools.require(Tools.PROMTOOL);
    int port = FreePorts.any();
    AgentConfig config =
        new ConfigLoader()
            .parse(
                "lint.yml",
                """
                listen: "127.0.0.1:%d"
                state-dir: %s
                dry-run: true
                backend:
                  swanctl: /usr/bin/false
                defaults:
                  interval: 1s
                  timeout: 300ms
                  count: 1
                tunnels:
                  - name: loopback
                    child: net
                    source: 127.0.0.1
                    targets: [127.0.0.1]
                """
                    .formatted(port, dir));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    try (Agent agent = Agent.start(config)) {
      await("a probe round in the scrape")
          .atMost(Duration.ofSeconds(20))
          .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()).body(),
              body -> body.contains("tunnelwatch_round_lag_seconds_count{tunnel=\"loopback\"} 1"));
      String scrape = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      Tools.Result lint = Tools.run(List.of(Tools.PROMTOOL, "check", "metrics"), dir, scrape, Duration.ofSeconds(30));
      assertThat(lint.output()).as("promtool check metrics").isEmpty();
      assertThat(lint.exitCode()).isZero();
      assertThat(scrape).contains("tunnelwatch_child_sa_installed", "tunnelwatch_build_info{");
      assertThat(scrape.lines())
          .as("the process metrics every Prometheus dashboard uses, and dry-run")
          .anyMatch(l -> l.matches("process_resident_memory_bytes [1-9][0-9.E]*"))
          .anyMatch(l -> l.matches("process_virtual_memory_bytes [1-9][0-9.E]*"))
          .anyMatch(l -> l.matches("process_open_fds [1-9][0-9.E]*"))
          .anyMatch(l -> l.matches("process_max_fds [1-9][0-9.E]*"))
          .anyMatch(l -> l.matches("process_start_time_seconds 1\\.[0-9]+E9"))
          .anyMatch(l -> l.startsWith("process_cpu_seconds_total "))
          .contains("tunnelwatch_dry_run 1.0");
      assertThat(scrape.lines().filter(l -> l.startsWith("tunnelwatch_build_info{")))
          .singleElement()
          .asString()
          .contains("version=\"", "revision=\"", "branch=\"", "javaversion=\"" + System.getProperty("java.version") + "\"");
    }
  }
}
