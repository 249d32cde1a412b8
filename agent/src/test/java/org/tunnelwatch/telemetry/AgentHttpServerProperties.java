package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.tunnelwatch.config.ListenAddress;

/**
 * Garbage and half-HTTP on the agent's port (real sockets, loopback): whatever arrives, the
 * server answers or drops that connection and keeps serving everyone else.
 */
class AgentHttpServerProperties {

  private static AgentHttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeContainer
  static void start() throws IOException {
    server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), new PrometheusRegistry(), () -> new StatusReport("1", false, List.of()));
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Property(tries = 150)
  void garbageNeverStopsTheServer(@ForAll @Size(max = 3000) byte[] garbage, @ForAll boolean asRequestLine) throws Exception {
    byte[] payload = asRequestLine ? withRequestLine(garbage) : garbage;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(300);
      OutputStream out = socket.getOutputStream();
      out.write(payload);
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      try {
        in.readNBytes(65536);
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // The server may wait for more or close: both are fine.
      }
    }
    HttpResponse<String> health =
        CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  private static byte[] withRequestLine(byte[] rest) {
    byte[] head = "GET /api/v1/tunnels HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + rest.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }
}
