package org.tunnelwatch;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on loopback that answers every request with a huge body (or one that
 * trickles in forever) and counts the bytes the client let it write before closing: a client
 * that reads whatever it is sent lets it write them all.
 */
public final class HugeAnswerServer implements AutoCloseable {

  private static final int CHUNK = 64 * 1024;

  private final HttpServer server;
  private final AtomicLong written = new AtomicLong();
  private final CountDownLatch answered = new CountDownLatch(1);

  /**
   * @param status the HTTP status of every answer
   * @param firstLine the body's first line
   * @param bodyBytes how many bytes of body to send in all (chunked); after the first line they
   *     are {@code x}s
   * @param trickle send one byte every 50 ms instead, until the client goes away
   */
  public HugeAnswerServer(int status, String firstLine, long bodyBytes, boolean trickle) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status, 0);
            OutputStream body = exchange.getResponseBody();
            byte[] head = (firstLine + "\n").getBytes(StandardCharsets.UTF_8);
            body.write(head);
            body.flush();
            written.addAndGet(head.length);
            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'x');
            while (written.get() < bodyBytes) {
              if (trickle) {
                body.write('x');
                body.flush();
                written.incrementAndGet();
                Thread.sleep(50);
              } else {
                int n = (int) Math.min(CHUNK, bodyBytes - written.get());
                body.write(chunk, 0, n);
                written.addAndGet(n);
              }
            }
          } catch (IOException e) {
            // The client closed the connection: what it had taken is counted.
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            answered.countDown();
          }
        });
    server.start();
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The bytes of body written once the first answer has ended (the client closed, or all sent). */
  public long writtenWhenDone() throws InterruptedException {
    if (!answered.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the answer was still being written after 60 s");
    }
    return written.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
