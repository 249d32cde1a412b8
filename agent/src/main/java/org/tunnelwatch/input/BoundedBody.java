package org.tunnelwatch.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP exchanges whose answer is read up to a limit and within one deadline for the whole
 * exchange, body included: the JDK's {@code BodyHandlers.ofString()} reads whatever the server
 * sends, and a request's own timeout ends when the headers arrive, so a server that trickles its
 * body would hold the caller. Past the limit the connection is closed without reading further.
 * Stateless and thread-safe.
 */
public final class BoundedBody {

  /** What a body longer than the limit gives. */
  public enum Overflow {
    /** A {@link RefusedInputException}: the body is needed whole. */
    REFUSE,
    /** The first bytes, up to the limit: only a prefix is ever used. */
    CUT
  }

  private BoundedBody() {}

  /**
   * Sends {@code request} and reads at most {@code maxBytes} of the answer, all within {@code
   * deadline}.
   *
   * @throws HttpTimeoutException when the whole answer has not arrived within {@code deadline}
   * @throws RefusedInputException when the body is longer than {@code maxBytes} and {@code
   *     overflow} is {@link Overflow#REFUSE}
   * @throws IOException when the exchange fails otherwise
   */
  public static HttpResponse<byte[]> send(
      HttpClient client, HttpRequest request, int maxBytes, Overflow overflow, Duration deadline)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> exchange =
        client.sendAsync(request, info -> new Subscriber(maxBytes, overflow));
    try {
      return exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException("no complete answer within " + deadline.toMillis() + "ms");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw ioCause(e);
    }
  }

  private static IOException ioCause(ExecutionException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new IOException(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(), cause);
  }

  /** Keeps the body up to the limit; past it, cancels the subscription (closing the connection). */
  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {

    private final int maxBytes;
    private final Overflow overflow;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Subscriber(int maxBytes, Overflow overflow) {
      this.maxBytes = maxBytes;
      this.overflow = overflow;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int room = maxBytes - kept.size();
        if (buffer.remaining() > room) {
          if (overflow == Overflow.CUT) {
            copy(buffer, room);
            body.complete(kept.toByteArray());
          } else {
            body.completeExceptionally(new RefusedInputException("answer larger than " + InputLimits.describe(maxBytes) + ", not read"));
          }
          subscription.cancel();
          return;
        }
        copy(buffer, buffer.remaining());
      }
      subscription.request(1);
    }

    private void copy(ByteBuffer buffer, int length) {
      byte[] bytes = new byte[length];
      buffer.get(bytes);
      kept.write(bytes, 0, length);
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(kept.toByteArray());
    }

    @Override
    public CompletableFuture<byte[]> getBody() {
      return body;
    }
  }
}
