package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfig;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever a client sends (request line, path, headers, the basic-auth header), the agent's real
 * HTTP server, with basic authentication on, answers with a well-formed status that is not an
 * internal error, or closes that connection, and keeps answering everyone else. Over loopback;
 * each input is the whole of what one client sends before it half-closes. Corpus: {@code
 * AgentHttpServerFuzzTestInputs/anyRequestIsAnsweredOrDroppedAndTheServerGoesOn}.
 */
class AgentHttpServerFuzzTest {

  private static final String PASSWORD = "fuzz-password";
  /** The credentials a scraper would send; bcrypt's lowest cost keeps each input fast. */
  private static final String AUTHORIZATION =
      "Basic " + Base64.getEncoder().encodeToString(("prometheus:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 [1-5]\\d\\d .*", Pattern.DOTALL);

  private static AgentHttpServer server;

  @BeforeAll
  static void start() throws IOException {
    String hash = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
    server =
        AgentHttpServer.start(
            new ListenAddress("127.0.0.1", 0),
            new WebConfig(Optional.empty(), Map.of("prometheus", hash)),
            new PrometheusRegistry(),
            () -> new StatusReport("1", false, List.of()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyRequestIsAnsweredOrDroppedAndTheServerGoesOn(byte[] request) throws Exception {
    // Jazzer's SSRF detector stops every connection it did not allow; these go to our own server.
    try (SilentCloseable allowed =
        BugDetectors.allowNetworkConnections(
            (host, port) -> port == server.port() && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      answeredOrDropped(request);
    }
  }

  @ParameterizedTest
  @MethodSource("damagedRequests")
  void damagedRealRequestsAreAnsweredOrDropped(String request) throws IOException {
    answeredOrDropped(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Stream<String> damagedRequests() {
    return DamagedCopies.of(
        "GET /api/v1/tunnels HTTP/1.1\r\nHost: 127.0.0.1:9821\r\nAuthorization: " + AUTHORIZATION
            + "\r\nAccept: application/json\r\n\r\n", 150);
  }

  private static void answeredOrDropped(byte[] request) throws IOException {
    String answer = exchange(request);
    if (!answer.isEmpty()) {
      // The JDK's own 400 page may name an exception class; a stack frame would be a leak.
      assertThat(answer).matches(STATUS_LINE).doesNotStartWith("HTTP/1.1 500").doesNotContain("\tat ");
    }
    String health =
        exchange(("GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTHORIZATION + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(health).startsWith("HTTP/1.1 200 ");
  }

  /** What the server sends back to one client that sends {@code request} and half-closes. */
  private static String exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // The server may close before reading everything: what it answered still counts.
      }
      try {
        return new String(socket.getInputStream().readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
      } catch (java.net.SocketException e) {
        return ""; // reset by the server: dropped
      }
    }
  }
}
