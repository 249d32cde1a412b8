package org.tunnelwatch.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfig;
import org.tunnelwatch.telemetry.web.BcryptAuthenticator;
import org.tunnelwatch.telemetry.web.TlsContexts;

/**
 * The agent's HTTP endpoints: {@code /metrics} (written family by family: {@link
 * StreamingMetricsHandler}),
 * {@code /healthz} and {@code /api/v1/tunnels}. Everything is read-only: only GET and HEAD are
 * answered, and nothing on the network can make the agent act.
 */
public final class AgentHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;

  private AgentHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds and starts serving over plain HTTP without authentication. */
  public static AgentHttpServer start(ListenAddress listen, PrometheusRegistry registry, StatusSource status)
      throws IOException {
    return start(listen, WebConfig.none(), registry, status);
  }

  /**
   * Binds and starts serving, with TLS and basic authentication as {@code web} says; every
   * endpoint is behind the same authentication, as with the exporter toolkit.
   *
   * @throws IOException when the address cannot be bound or the TLS files cannot be used
   */
  public static AgentHttpServer start(ListenAddress listen, WebConfig web, PrometheusRegistry registry, StatusSource status)
      throws IOException {
    InetSocketAddress address =
        listen.host().isEmpty()
            ? new InetSocketAddress(listen.port())
            : new InetSocketAddress(listen.host(), listen.port());
    HttpServer server = web.tls().isPresent() ? https(address, web.tls().get()) : HttpServer.create(address, 50);
    Authenticator auth = web.users().isEmpty() ? null : new BcryptAuthenticator(web.users());
    ObjectMapper json = StatusReport.json();
    context(server, auth, "/metrics", new StreamingMetricsHandler(registry));
    context(server, auth, "/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n"));
    context(
        server,
        auth,
        "/api/v1/tunnels",
        exchange -> send(exchange, 200, "application/json", json.writeValueAsString(status.report()) + "\n"));
    context(
        server,
        auth,
        "/",
        exchange -> send(exchange, 200, "text/plain", "tunnelwatch\n\n/metrics\n/healthz\n/api/v1/tunnels\n"));
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "http-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
    return new AgentHttpServer(server, executor);
  }

  private static HttpServer https(InetSocketAddress address, WebConfig.Tls tls) throws IOException {
    HttpsServer server = HttpsServer.create(address, 50);
    try {
      server.setHttpsConfigurator(TlsContexts.configurator(tls));
    } catch (GeneralSecurityException e) {
      server.stop(0);
      throw new IOException("TLS: " + e.getMessage(), e);
    }
    return server;
  }

  private static void context(HttpServer server, Authenticator auth, String path, HttpHandler handler) {
    HttpContext context = server.createContext(path, readOnly(path, handler));
    if (auth != null) {
      context.setAuthenticator(auth);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * Answers only GET and HEAD on exactly {@code path} (contexts match prefixes), and turns any
   * failure into a 500 with a line of text, never a stack trace on the wire.
   */
  private static HttpHandler readOnly(String path, HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        String method = exchange.getRequestMethod();
        if (!exchange.getRequestURI().getPath().equals(path)) {
          send(exchange, 404, "text/plain", "not found: " + exchange.getRequestURI().getPath() + "\n");
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          send(exchange, 405, "text/plain", "method " + method + " not allowed; this API is read-only\n");
        } else {
          handler.handle(exchange);
        }
      } catch (IOException e) {
        // The client went away mid-response: nothing to tell it.
        log.debug("HTTP {} failed: {}", path, e.toString());
      } catch (RuntimeException e) {
        log.error("HTTP {} failed", path, e);
        try {
          send(exchange, 500, "text/plain", "internal error\n");
        } catch (IOException | RuntimeException ignored) {
          // Headers may already be sent; the connection is closed either way.
        }
      }
    };
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
