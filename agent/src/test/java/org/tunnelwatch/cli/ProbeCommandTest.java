package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunnelwatch probe} with real ping on loopback. The second tunnel's source is held by no
 * interface: it is reported for that tunnel while the first is probed as usual.
 */
class ProbeCommandTest {

  @TempDir Path dir;
  private Path config;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void writeConfig() throws IOException {
    config = dir.resolve("tunnelwatch.yml");
    Files.writeString(
        config,
        """
        backend:
          uri: unix://%s/no-charon.vici
        defaults:
          child: net
          targets: [127.0.0.1]
          timeout: 500ms
        tunnels:
          - name: loopback
            source: 127.0.0.1
          - name: orphan
            source: 192.0.2.77
        """
            .formatted(dir));
  }

  private int run(String... args) {
    return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void reportsTheMissingSourceForItsTunnelAndProbesTheOthers() {
    assertThat(run("probe", "--config", config.toString())).isEqualTo(1);
    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).startsWith("TUNNEL    SOURCE      TARGET     SENT  RECEIVED  LOSS");
    assertThat(lines[1]).matches("loopback  127\\.0\\.0\\.1   127\\.0\\.0\\.1  3     3         0\\.0%  .*");
    assertThat(lines[2]).startsWith("orphan    192.0.2.77  127.0.0.1  0     0         100.0%").endsWith("source 192.0.2.77 is not held by any local interface");
    assertThat(lines[1]).contains("unreadable: swanctl --list-sas");
  }

  @Test
  void exitsZeroWhenTheChosenTunnelAnswers() {
    assertThat(run("probe", "--config", config.toString(), "--tunnel", "loopback")).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(2)).isEmpty();
    // As root the default engine (auto) finds raw sockets; without root it says why it did not.
    assertThat(lines.get(3)).startsWith("probe engine: ");
  }

  @Test
  void tcpAndUdpTargetsAreProbedAndShownAsWritten() throws IOException {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    Path mixed = dir.resolve("mixed.yml");
    Files.writeString(
        mixed,
        """
        backend:
          uri: unix://%s/no-charon.vici
        tunnels:
          - name: loopback
            child: net
            source: 127.0.0.1
            targets: ["tcp://127.0.0.1:%d", "udp://127.0.0.1:%d"]
            targets-rule: all
            timeout: 500ms
        """
            .formatted(dir, port, port));

    // Nothing listens on the port: the refusal (TCP) and the port-unreachable error (UDP) answer.
    assertThat(run("probe", "--config", mixed.toString())).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(1)).contains("tcp://127.0.0.1:" + port + "  3     3 ");
    assertThat(lines.get(2)).contains("udp://127.0.0.1:" + port + "  3     3 ");
  }

  @Test
  void anUnknownTunnelNameIsAnError() {
    assertThat(run("probe", "--config", config.toString(), "--tunnel", "nope")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("tunnelwatch: no tunnel named \"nope\" in " + config + "\n");
  }
}
