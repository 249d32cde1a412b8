package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.tunnel.TunnelStatus;

/** Real HTTP on loopback, as Prometheus and the status command use it. */
class AgentHttpServerTest {

  static final TunnelStatus DOWN_TUNNEL =
      new TunnelStatus("sg1-sgcentral", "down", "2026-11-26T12:00:00Z", "no reply in 3 consecutive rounds", 0.5, 0.0015,
          "wan", true, "IKE none, CHILD none", "settling after the last action, 10s left",
          new TunnelStatus.LastAction("reinitiate", "success", "2026-11-26T12:00:01Z", ""), false, null);

  private final HttpClient client = HttpClient.newHttpClient();
  private AgentHttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("tunnelwatch_test_total").help("test").register(registry).inc();
    server =
        AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), registry, () -> new StatusReport("1.2.3", false, List.of(DOWN_TUNNEL)));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    HttpResponse<String> response = request("GET", "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("tunnelwatch_test_total 1.0");
  }

  @Test
  void healthzAnswersOk() throws Exception {
    HttpResponse<String> response = request("GET", "/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void theTunnelsApiReturnsSnakeCaseJson() throws Exception {
    HttpResponse<String> response = request("GET", "/api/v1/tunnels");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    assertThat(response.body())
        .contains("\"version\":\"1.2.3\"", "\"dry_run\":false", "\"name\":\"sg1-sgcentral\"", "\"loss_ratio\":0.5",
            "\"last_action\":{\"action\":\"reinitiate\"");
    StatusReport back = StatusReport.json().readValue(response.body(), StatusReport.class);
    assertThat(back.tunnels()).containsExactly(DOWN_TUNNEL);
  }

  @Test
  void nothingCanBeChangedOverHttp() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> response = request(method, "/api/v1/tunnels");
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
    }
  }

  @Test
  void unknownPathsAre404NotAPrefixMatch() throws Exception {
    assertThat(request("GET", "/api/v1/tunnels/../../etc/passwd").statusCode()).isEqualTo(404);
    assertThat(request("GET", "/healthzzz").statusCode()).isEqualTo(404);
    assertThat(request("GET", "/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void aGarbageRequestDoesNotStopTheServer() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("\u0000\u0001GARBAGE \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      in.readAllBytes();
    }
    assertThat(request("GET", "/healthz").statusCode()).isEqualTo(200);
  }
}
