package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.TestTls;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfig;
import org.tunnelwatch.config.WebConfigLoader;
import org.tunnelwatch.telemetry.web.HttpServerLimits;

/**
 * The HTTP server's bounds against real hostile clients on loopback: clients that trickle their
 * headers (slowloris), more connections than the cap, and clients that abort their requests,
 * counted in this process's file descriptors. Bounds are "answers at all within a generous
 * time", never speed.
 */
class HttpServerBoundsTest {

  /** Far past every bound of HttpServerLimits: reaching it means a bound did not hold. */
  private static final Duration GENEROUS = Duration.ofSeconds(60);
  /** Four times the thread pool the server once had. */
  private static final int SLOW_CLIENTS = 16;

  @TempDir Path dir;

  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private final List<Socket> sockets = new ArrayList<>();
  private AgentHttpServer server;

  private AgentHttpServer start(WebConfig web) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("tunnelwatch_test_total").help("test").register(registry).inc();
    server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), web, registry, () -> new StatusReport("1", false, List.of()));
    return server;
  }

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Connects and sends {@code first}, then one more byte of {@code drip} a second, never the end. */
  private Socket slowClient(byte[] first, byte[] drip) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    sockets.add(socket);
    OutputStream out = socket.getOutputStream();
    out.write(first);
    out.flush();
    int[] at = {0};
    trickle.scheduleAtFixedRate(() -> {
      try {
        out.write(drip[at[0]++ % drip.length]);
        out.flush();
      } catch (IOException e) {
        // The server cut it off: that is the point.
      }
    }, 1, 1, TimeUnit.SECONDS);
    return socket;
  }

  private Socket slowHttpClient() throws IOException {
    return slowClient("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII), "X-Slow: yes\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static HttpResponse<String> get(HttpClient client, String url, String auth) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(GENEROUS);
    if (auth != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Whether the server closed the connection (end of stream or reset) before {@code GENEROUS}. */
  private static boolean closedByServer(Socket socket) throws IOException {
    return answerUntilClosed(socket) != null;
  }

  /** What the server sent before it closed the connection, or null if it had not by {@code GENEROUS}. */
  private static String answerUntilClosed(Socket socket) throws IOException {
    socket.setSoTimeout((int) GENEROUS.toMillis());
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    try {
      for (int b = in.read(); b != -1; b = in.read()) {
        answer.append((char) b); // an error page is fine; the close is what counts
      }
    } catch (java.net.SocketTimeoutException e) {
      return null;
    } catch (SocketException e) {
      // reset: closed too
    }
    return answer.toString();
  }

  @Nested
  class SlowClients {

    @Test
    void trickledHeadersDoNotKeepOthersFromHealthzAndMetrics() throws Exception {
      start(WebConfig.none());
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        slowHttpClient();
      }
      Thread.sleep(2000); // every slow client is mid-headers now, each holding a server thread

      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(client, base + "/healthz", null).statusCode()).isEqualTo(200);
      assertThat(get(client, base + "/metrics", null).body()).contains("tunnelwatch_test_total 1.0");
    }

    @Test
    void trickledTlsHandshakesDoNotKeepOthersFromTheEndpoints() throws Exception {
      TestTls tls = new TestTls(dir);
      tls.key("key.pem", "pkcs8-ec");
      Path cert = tls.certificate("cert.pem", "key.pem");
      Files.writeString(dir.resolve("web.yml"), """
          tls_server_config:
            cert_file: cert.pem
            key_file: key.pem
          basic_auth_users:
            prometheus: %s
          """.formatted(BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray())));
      start(new WebConfigLoader().load(dir.resolve("web.yml")));
      // A TLS record header announcing a ClientHello, then its body one byte a second.
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        slowClient(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}, new byte[] {0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
      }
      Thread.sleep(2000);

      HttpClient client = HttpClient.newBuilder().sslContext(TestTls.trusting(cert)).build();
      String base = "https://127.0.0.1:" + server.port();
      assertThat(get(client, base + "/healthz", null).statusCode()).isEqualTo(401);
      assertThat(get(client, base + "/healthz", "prometheus:s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatNeverFinishesItsHeadersIsCutOff() throws Exception {
      start(WebConfig.none());
      Socket slow = slowHttpClient();

      assertThat(closedByServer(slow)).as("closed within " + GENEROUS + " (the bound is " + HttpServerLimits.REQUEST_READ_TIME + ")").isTrue();
    }

    @Test
    void aClientThatNeverSendsAByteIsCutOff() throws Exception {
      start(WebConfig.none());
      Socket silent = new Socket("127.0.0.1", server.port());
      sockets.add(silent);

      assertThat(closedByServer(silent)).isTrue();
    }

    @Test
    void headersPastTheirSizeAreRefusedAndTheServerGoesOn() throws Exception {
      start(WebConfig.none());
      try (Socket big = new Socket("127.0.0.1", server.port())) {
        String header = "X-Big: " + "a".repeat(HttpServerLimits.MAX_HEADER_BYTES) + "\r\n";
        big.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: x\r\n" + header + "\r\n").getBytes(StandardCharsets.US_ASCII));
        big.setSoTimeout((int) GENEROUS.toMillis());
        String answer;
        try {
          answer = new String(big.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (SocketException e) {
          answer = "reset";
        }
        assertThat(answer).doesNotStartWith("HTTP/1.1 200");
      }
      assertThat(get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port() + "/healthz", null).statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class ConnectionCap {

    @Test
    void connectionsPastTheCapAreClosedAtOnceAndServiceReturnsWhenTheyGo() throws Exception {
      start(WebConfig.none());
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < HttpServerLimits.MAX_CONNECTIONS; i++) {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write('G'); // a request begun: each holds a server thread too
        held.add(s);
        sockets.add(s);
      }
      Socket extra = new Socket("127.0.0.1", server.port());
      sockets.add(extra);
      extra.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      assertThat(answerUntilClosed(extra)).as("closed unanswered").isEmpty();

      for (Socket s : held) {
        s.close();
      }
      HttpClient client = HttpClient.newHttpClient();
      await().atMost(GENEROUS).ignoreExceptions().untilAsserted(() ->
          assertThat(get(client, "http://127.0.0.1:" + server.port() + "/healthz", null).statusCode()).isEqualTo(200));
    }
  }

  @Nested
  class AbortedRequests {

    private long openFds() throws IOException {
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        return fds.count();
      }
    }

    /** Sends {@code request} and closes without reading, {@code times} times. */
    private void abort(String request, int times) throws IOException {
      for (int i = 0; i < times; i++) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        }
      }
    }

    @Test
    void requestsAbortedAfterTheRequestLineLeaveNoDescriptorBehind() throws Exception {
      start(WebConfig.none());
      long before = openFds();

      abort("GET /healthz HTTP/1.1\r\n", 300);
      abort("GET /metrics HTTP/1.1\r\n", 300);

      await().atMost(GENEROUS).untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(before + 8));
    }

    @Test
    void wholeRequestsWhoseClientLeftBeforeTheAnswerLeaveNoDescriptorBehind() throws Exception {
      start(WebConfig.none());
      long before = openFds();

      abort("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 300);
      abort("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 300);
      abort("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab", 100);

      await().atMost(GENEROUS).untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(before + 8));
      assertThatCode(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port() + "/healthz", null)).doesNotThrowAnyException();
    }
  }
}
