package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.agent.AgentRuns;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.LoopbackTunnels;
import org.tunnelwatch.TestTls;

/**
 * The packaged agent started with the exporters' flags: {@code --web.listen-address} and {@code
 * --web.config.file} take the place of the file's keys, also after a SIGHUP reload; and {@code
 * --version} speaks the exporters' layout.
 */
class ExporterFlagsIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private AgentRuns runs;

  @BeforeEach
  void agentRuns() {
    runs = new AgentRuns(dir);
  }

  @AfterEach
  void stop() throws Exception {
    runs.close();
  }

  @Test
  void theWebFlagsTakeThePlaceOfTheFilesKeysAlsoAfterAReload() throws Exception {
    int filePort = FreePorts.any();
    int flagPort = FreePorts.any();
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, LoopbackTunnels.yaml("127.0.0.1:" + filePort, dir.resolve("state"), "v0"));
    TestTls tls = new TestTls(dir);
    tls.key("key.pem", "sec1-ec");
    tls.certificate("cert.pem", "key.pem");
    String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
    Files.writeString(dir.resolve("web.yml"),
        "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: " + hash + "\n");
    HttpClient https = HttpClient.newBuilder().sslContext(TestTls.trusting(dir.resolve("cert.pem"))).build();
    HttpRequest tunnels =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + flagPort + "/api/v1/tunnels"))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8)))
            .build();
    Process agent = runs.start(List.of("java", "-jar", JAR.toString(), "run", "--config.file", file.toString(),
            "--web.listen-address", "127.0.0.1:" + flagPort, "--web.config.file", dir.resolve("web.yml").toString()));
    await().atMost(WAIT).ignoreExceptions().until(() -> https.send(tunnels, HttpResponse.BodyHandlers.ofString()).body().contains("\"v0\""));
    assertThat(nothingListensOn(filePort)).as("nothing on the file's port").isTrue();

    Files.writeString(file, LoopbackTunnels.yaml("127.0.0.1:" + filePort, dir.resolve("state"), "v1"));
    assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor(10, TimeUnit.SECONDS)).isTrue();

    await("the reload, still on the flag's address with TLS")
        .atMost(WAIT).ignoreExceptions()
        .until(() -> https.send(tunnels, HttpResponse.BodyHandlers.ofString()).body().contains("\"v1\""));
    assertThat(nothingListensOn(filePort)).isTrue();
  }

  private static boolean nothingListensOn(int port) throws IOException {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }

  @Test
  void versionSpeaksTheExportersLayout() throws Exception {
    Process version = new ProcessBuilder("java", "-jar", JAR.toString(), "--version").redirectErrorStream(true).start();
    String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(version.exitValue()).isZero();
    // Built from a git checkout the revision is the commit's; from a tree without .git, "unknown".
    String revision = Files.exists(JAR.getParent().getParent().getParent().resolve(".git")) ? "[0-9a-f]{12}" : "unknown";
    assertThat(out).matches("(?s)tunnelwatch, version \\S+ \\(branch: \\S+, revision: " + revision + "\\)\n"
        + "  build user: +\\S+\n  build date: +\\d{8}-\\d\\d:\\d\\d:\\d\\d\n  java version: +\\S+\n  platform: +linux/\\S+\n");
  }
}
