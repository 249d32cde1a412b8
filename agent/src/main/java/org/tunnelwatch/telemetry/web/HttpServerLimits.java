package org.tunnelwatch.telemetry.web;

import java.time.Duration;

/**
 * The bounds of the agent's HTTP server, written once here (docs/security.md lists them).
 *
 * <p>The JDK server accepts and waits for readable connections on one selector thread, then
 * reads the request line and headers, and over TLS does the handshake, on a pool thread in
 * blocking mode. So a client that trickles its headers holds a pool thread. These bounds keep
 * that from taking the endpoints down: the JDK closes a connection whose request has not been
 * read {@link #REQUEST_READ_TIME} after its first byte (which frees the thread), the pool has a
 * thread for every connection the server keeps ({@link #MAX_CONNECTIONS}), so slow clients can
 * use up connections but never leave an accepted request without a thread, and connections past
 * the cap are closed at once.
 *
 * <p>The JDK reads its settings from system properties once, when its server is first created
 * in the JVM; {@link #applyToJdk()} sets them before that, leaving any an operator set with
 * {@code -D} alone.
 */
public final class HttpServerLimits {

  /** From a request's first byte to its last header, TLS handshake included (Go: ReadHeaderTimeout). */
  public static final Duration REQUEST_READ_TIME = Duration.ofSeconds(10);
  /** From the request read to the response taken by the client (Go: WriteTimeout). */
  public static final Duration RESPONSE_TIME = Duration.ofSeconds(30);
  /** A kept-alive connection without a new request is closed after this (Go: IdleTimeout). */
  public static final Duration IDLE_TIME = Duration.ofSeconds(30);
  /** Connections open at once, idle ones included; the pool has as many threads at most. */
  public static final int MAX_CONNECTIONS = 64;
  /** Kept-alive connections held at once; a connection past this is closed after its response. */
  public static final int MAX_IDLE_CONNECTIONS = 16;
  /** Request line and headers together (Go: MaxHeaderBytes). */
  public static final int MAX_HEADER_BYTES = 16 * 1024;
  /** Header lines in one request. */
  public static final int MAX_HEADERS = 64;
  /**
   * How often the JDK looks for connections past their time: the bounds above hold to within
   * this. Each look wakes one of two timer threads; at once a second they were a fifth of an idle
   * agent's CPU (docs/benchmarks.md), and a slow client held a connection 15 s at most instead of
   * 11 is no loss against the cap on connections.
   */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
  /** Pending connections the kernel queues before the server accepts them. */
  public static final int BACKLOG = 50;

  private HttpServerLimits() {}

  /** Hands the bounds to the JDK server; call before the first server of the JVM is created. */
  public static synchronized void applyToJdk() {
    set("sun.net.httpserver.maxReqTime", REQUEST_READ_TIME.toSeconds());
    set("sun.net.httpserver.maxRspTime", RESPONSE_TIME.toSeconds());
    set("sun.net.httpserver.idleInterval", IDLE_TIME.toSeconds());
    set("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
    set("sun.net.httpserver.maxIdleConnections", MAX_IDLE_CONNECTIONS);
    set("sun.net.httpserver.maxReqHeaderSize", MAX_HEADER_BYTES);
    set("sun.net.httpserver.maxReqHeaders", MAX_HEADERS);
    set("sun.net.httpserver.timerMillis", CHECK_INTERVAL.toMillis());
    set("sun.net.httpserver.clockTick", CHECK_INTERVAL.toMillis());
    // Not a bound: the JDK writes a response's headers and body apart, and without TCP_NODELAY
    // the body waits for the client's delayed ACK (40 ms on Linux) on every kept-alive request.
    set("sun.net.httpserver.nodelay", "true");
  }

  private static void set(String property, long value) {
    set(property, Long.toString(value));
  }

  private static void set(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
