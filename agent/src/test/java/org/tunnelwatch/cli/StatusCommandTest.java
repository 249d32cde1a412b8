package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.HugeAnswerServer;
import org.tunnelwatch.input.InputLimits;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.StatusReport;
import org.tunnelwatch.tunnel.TunnelStatus;

/** {@code tunnelwatch status} against a real HTTP server on loopback. */
class StatusCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  private static TunnelStatus tunnel(String name, String state) {
    return new TunnelStatus(name, state, "2026-11-26T12:00:00Z", "reason of " + name, 0.0, 0.0012, "wan", true, "IKE ESTABLISHED, CHILD INSTALLED",
        "tunnel is " + state, null, false, null);
  }

  @Test
  void printsATableAndExitsZeroWhenAllTunnelsAreUp() throws Exception {
    try (AgentHttpServer server =
        AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), new PrometheusRegistry(),
            () -> new StatusReport("1", false, List.of(tunnel("a", "up"), tunnel("b", "degraded"))))) {
      assertThat(run("status", "--url", "http://127.0.0.1:" + server.port())).isZero();
    }
    assertThat(out.toString().lines().toList())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("TUNNEL  STATE     SINCE");
    assertThat(out.toString()).contains("a       up", "b       degraded", "1.20ms", "wan up");
  }

  @Test
  void unknownLossAndRttArePrintedAsDashesNotZero() throws Exception {
    TunnelStatus fresh = new TunnelStatus("new", "unknown", "2026-11-26T12:00:00Z", "no round yet", null, null, null, true,
        "not read yet", "none", null, false, null);
    try (AgentHttpServer server =
        AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), new PrometheusRegistry(), () -> new StatusReport("1", false, List.of(fresh)))) {
      assertThat(run("status", "--url", "http://127.0.0.1:" + server.port())).isEqualTo(1);
    }
    assertThat(out.toString().lines().skip(1).findFirst()).hasValueSatisfying(row -> assertThat(row).matches("new +unknown +\\S+ +- +- +- .*"));
  }

  @Test
  void exitsOneWhenATunnelIsDown() throws Exception {
    try (AgentHttpServer server =
        AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), new PrometheusRegistry(),
            () -> new StatusReport("1", true, List.of(tunnel("a", "down"))))) {
      assertThat(run("status", "--url", "http://127.0.0.1:" + server.port() + "/")).isEqualTo(1);
    }
    assertThat(out.toString()).startsWith("(dry-run: the agent observes and reports, never acts)");
  }

  @Test
  void saysClearlyWhenNoAgentAnswers() throws Exception {
    int freePort = FreePorts.any();
    assertThat(run("status", "--url", "http://127.0.0.1:" + freePort)).isEqualTo(3);
    assertThat(err.toString()).startsWith("tunnelwatch: cannot reach the agent at http://127.0.0.1:" + freePort);
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void saysClearlyWhenTheAnswerIsNotATunnelList() throws Exception {
    try (AgentHttpServer server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), new PrometheusRegistry(), () -> null)) {
      assertThat(run("status", "--url", "http://127.0.0.1:" + server.port())).isEqualTo(3);
    }
    assertThat(err.toString()).contains("did not answer with a tunnel list");
  }

  @Test
  void aHugeAnswerIsRefusedWithoutReadingItAll() throws Exception {
    try (HugeAnswerServer agent = new HugeAnswerServer(200, "[", 256L << 20, false)) {
      assertThat(run("status", "--url", agent.url("").toString())).isEqualTo(3);
      // The limit plus what socket buffers on both sides hold.
      assertThat(agent.writtenWhenDone()).isLessThan(InputLimits.STATUS_RESPONSE_BYTES + (16L << 20));
      assertThat(err.toString())
          .isEqualTo("tunnelwatch: " + agent.url("/api/v1/tunnels") + ": answer larger than 8 MiB, not read\n");
    }
  }

  @Test
  @Timeout(60) // a status that reads a trickling body waits as long as the body trickles
  void anAnswerThatTricklesForeverEndsAtTheDeadline() throws Exception {
    try (HugeAnswerServer agent = new HugeAnswerServer(200, "[", Long.MAX_VALUE, true)) {
      assertThat(run("status", "--url", agent.url("").toString())).isEqualTo(3);
      assertThat(err.toString()).contains("no complete answer within 5000ms").doesNotContain("\tat ");
    }
  }
}
