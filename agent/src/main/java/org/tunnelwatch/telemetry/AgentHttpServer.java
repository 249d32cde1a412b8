package org.tunnelwatch.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfig;
import org.tunnelwatch.telemetry.web.HttpServerLimits;
import org.tunnelwatch.telemetry.web.ReloadableAuthenticator;
import org.tunnelwatch.telemetry.web.ReloadableTls;

/**
 * The agent's HTTP endpoints: {@code /metrics} (written family by family: {@link
 * StreamingMetricsHandler}),
 * {@code /healthz} and {@code /api/v1/tunnels}. Everything is read-only: only GET and HEAD are
 * answered, and nothing on the network can make the agent act. Bounded as {@link
 * HttpServerLimits} says.
 *
 * <p>Lives as long as the agent: {@link #apply} takes a reloaded {@code listen} and web config,
 * in place when the address and the scheme stay the same. Thread-safe.
 */
public final class AgentHttpServer implements AutoCloseable {

  static {
    HttpServerLimits.applyToJdk();
  }

  private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);

  private final Map<String, HttpHandler> routes;
  private final ReloadableAuthenticator auth = new ReloadableAuthenticator();
  /** Guarded by this; null when serving plain HTTP. */
  private ReloadableTls tls;
  /** Guarded by this. */
  private Listener listener;
  private ListenAddress listen;

  private AgentHttpServer(Map<String, HttpHandler> routes) {
    this.routes = routes;
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
   * @throws IOException when the address cannot be bound or the TLS material cannot be used
   */
  public static AgentHttpServer start(ListenAddress listen, WebConfig web, PrometheusRegistry registry, StatusSource status)
      throws IOException {
    Map<String, HttpHandler> routes = new LinkedHashMap<>();
    routes.put("/metrics", new StreamingMetricsHandler(registry));
    routes.put("/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n"));
    routes.put("/api/v1/tunnels", exchange -> send(exchange, 200, "application/json", StatusJson.MAPPER.writeValueAsString(status.report()) + "\n"));
    routes.put("/", exchange -> send(exchange, 200, "text/plain", "tunnelwatch\n\n/metrics\n/healthz\n/api/v1/tunnels\n"));
    AgentHttpServer server = new AgentHttpServer(Map.copyOf(routes));
    synchronized (server) {
      server.tls = tls(web).orElse(null);
      server.auth.set(web.users());
      server.listener = server.open(address(listen), server.tls);
      server.listen = listen;
    }
    return server;
  }

  /**
   * The status endpoint's JSON, made at its first request: Jackson's databind is some 300
   * classes (about 1 MB of metaspace for good) that an agent nobody asks for its status never
   * needs.
   */
  private static final class StatusJson {
    static final ObjectMapper MAPPER = StatusReport.json();
  }

  /**
   * Serves as {@code newListen} and {@code newWeb} say from now on. With the same address and
   * scheme (HTTP or HTTPS) the running server takes the new TLS material and users in place:
   * open connections keep theirs, new ones get the new. Otherwise it binds the new address
   * before letting the old one go, or, when the old one holds that port, lets it go first.
   *
   * @return whether it now listens on a new socket
   * @throws IOException when the new address cannot be bound or the TLS material cannot be used;
   *     the server then serves exactly as before
   */
  public synchronized boolean apply(ListenAddress newListen, WebConfig newWeb) throws IOException {
    boolean https = newWeb.tls().isPresent();
    if (newListen.equals(listen) && https == (tls != null)) {
      if (https) {
        try {
          tls.set(newWeb.tls().get());
        } catch (GeneralSecurityException e) {
          throw new IOException("TLS: " + e.getMessage(), e);
        }
      }
      auth.set(newWeb.users());
      return false;
    }
    ReloadableTls nextTls = tls(newWeb).orElse(null);
    Listener next = rebind(address(newListen), nextTls);
    tls = nextTls;
    auth.set(newWeb.users());
    listen = newListen;
    return true;
  }

  private Listener rebind(InetSocketAddress address, ReloadableTls nextTls) throws IOException {
    Listener old = listener;
    Listener next;
    try {
      next = open(address, nextTls); // no gap while the old one serves
    } catch (BindException e) {
      if (address.getPort() != old.address().getPort()) {
        throw e;
      }
      // Same port, other host or scheme: the old socket holds it.
      old.close();
      try {
        next = open(address, nextTls);
      } catch (IOException again) {
        listener = open(old.address(), tls);
        throw again;
      }
    }
    listener = next;
    old.close();
    return next;
  }

  private static Optional<ReloadableTls> tls(WebConfig web) throws IOException {
    if (web.tls().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ReloadableTls(web.tls().get()));
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS: " + e.getMessage(), e);
    }
  }

  private static InetSocketAddress address(ListenAddress listen) {
    return listen.host().isEmpty() ? new InetSocketAddress(listen.port()) : new InetSocketAddress(listen.host(), listen.port());
  }

  private Listener open(InetSocketAddress address, ReloadableTls withTls) throws IOException {
    // The JDK's server leaks its socket when its own bind fails: find out first.
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.bind(address);
    }
    HttpServer server;
    if (withTls == null) {
      server = HttpServer.create(address, HttpServerLimits.BACKLOG);
    } else {
      HttpsServer https = HttpsServer.create(address, HttpServerLimits.BACKLOG);
      https.setHttpsConfigurator(withTls.configurator());
      server = https;
    }
    routes.forEach((path, handler) -> server.createContext(path, readOnly(path, handler)).setAuthenticator(auth));
    ExecutorService executor = executor();
    server.setExecutor(executor);
    server.start();
    return new Listener(server, executor);
  }

  /**
   * A thread for every connection the server keeps (see {@link HttpServerLimits}); threads end
   * when idle, so a quiet agent holds none.
   */
  private static ExecutorService executor() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        HttpServerLimits.MAX_CONNECTIONS,
        HttpServerLimits.IDLE_TIME.toSeconds(),
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "http-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  public synchronized int port() {
    return listener.address().getPort();
  }

  @Override
  public synchronized void close() {
    listener.close();
  }

  /**
   * Answers only GET and HEAD on exactly {@code path} (contexts match prefixes), and turns any
   * failure into a 500 with a line of text, never a stack trace on the wire. The handler ends
   * the exchange by closing its response body; on an I/O error it throws, so that the JDK
   * closes the connection and forgets it (closing the exchange here instead leaves the JDK's
   * bookkeeping behind, and its file descriptor with it).
   */
  private static HttpHandler readOnly(String path, HttpHandler handler) {
    return exchange -> {
      try {
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
        throw e;
      } catch (RuntimeException e) {
        log.error("HTTP {} failed", path, e);
        if (exchange.getResponseCode() != -1) {
          throw new IOException("response already under way", e);
        }
        send(exchange, 500, "text/plain", "internal error\n");
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

  /** One bound server socket and the threads that serve it. */
  private static final class Listener {
    private final HttpServer server;
    private final ExecutorService executor;
    /** Kept apart: a closed server no longer knows its address. */
    private final InetSocketAddress address;
    private boolean closed;

    Listener(HttpServer server, ExecutorService executor) {
      this.server = server;
      this.executor = executor;
      this.address = server.getAddress();
    }

    InetSocketAddress address() {
      return address;
    }

    void close() {
      if (!closed) {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
      }
    }
  }
}
