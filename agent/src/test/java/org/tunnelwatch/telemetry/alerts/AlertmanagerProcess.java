package org.tunnelwatch.telemetry.alerts;

import org.tunnelwatch.FreePorts;
import org.tunnelwatch.ChildProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.tunnelwatch.Prerequisites;

/**
 * A real Alertmanager (Debian package prometheus-alertmanager) on a free loopback port, with
 * clustering off and its data in a temporary directory.
 */
final class AlertmanagerProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  private final Process process;
  private final Path log;
  final URI url;
  private final HttpClient http = HttpClient.newHttpClient();

  private AlertmanagerProcess(Process process, Path log, URI url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  static void require() {
    Prerequisites.require(
        Files.isExecutable(BINARY) ? List.of() : List.of(BINARY + " (Debian package prometheus-alertmanager)"));
  }

  static AlertmanagerProcess start(Path dir) throws IOException {
    int port = FreePorts.any();
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        """
        route:
          receiver: none
          group_wait: 1s
        receivers:
          - name: none
        """);
    Path log = dir.resolve("alertmanager.log");
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    AlertmanagerProcess am = new AlertmanagerProcess(process, log, URI.create("http://127.0.0.1:" + port));
    try {
      Awaitility.await("Alertmanager ready")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !process.isAlive() || am.get("/-/ready").startsWith("OK"));
    } catch (RuntimeException e) {
      am.close();
      throw e;
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("Alertmanager exited:\n" + Files.readString(log));
    }
    return am;
  }

  /** The body of a GET, or "" when it fails. */
  String get(String path) {
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }


  @Override
  public void close() {
    ChildProcesses.stop(process);
  }
}
