package org.tunnelwatch.telemetry.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tunnelwatch.telemetry.web.HttpServerLimits;

/**
 * A real HTTP receiver on loopback that records what is POSTed to it. It can be told to answer
 * 500 to the first requests, or to hold every request until released.
 */
final class WebhookServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final AtomicInteger failFirst = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  volatile CountDownLatch hold = new CountDownLatch(0);

  WebhookServer() throws IOException {
    // The JDK reads its server settings once per JVM: the same whichever server comes first.
    HttpServerLimits.applyToJdk();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    server.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
              hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            if (failFirst.getAndDecrement() > 0) {
              byte[] answer = "receiver is broken\nsecond line".getBytes();
              exchange.sendResponseHeaders(500, answer.length);
              exchange.getResponseBody().write(answer);
              return;
            }
            received.add(JSON.readTree(body));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @Override
  public void close() {
    hold.countDown();
    server.stop(0);
  }
}
