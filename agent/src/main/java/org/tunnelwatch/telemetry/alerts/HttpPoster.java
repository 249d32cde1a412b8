package org.tunnelwatch.telemetry.alerts;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.tunnelwatch.input.BoundedBody;
import org.tunnelwatch.input.InputLimits;

/**
 * POSTs JSON with a deadline for the whole exchange, reads at most {@link
 * InputLimits#ALERT_RESPONSE_BYTES} of the answer, and turns every failure into an {@link
 * IOException} with one line of text. Thread-safe (the JDK client is).
 */
final class HttpPoster {

  private static final int MAX_SHOWN = 200;

  private final HttpClient client;
  private final Duration timeout;

  HttpPoster(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  void post(URI url, String json) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "tunnelwatch")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    HttpResponse<byte[]> response;
    try {
      // Only the first line of an answer is ever shown: the rest is not read.
      response = BoundedBody.send(client, request, InputLimits.ALERT_RESPONSE_BYTES, BoundedBody.Overflow.CUT, timeout);
    } catch (HttpTimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + "ms");
    } catch (ConnectException e) {
      throw new IOException("cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (IOException e) {
      throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    if (response.statusCode() / 100 != 2) {
      String body = new String(response.body(), StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
      if (body.length() > MAX_SHOWN) {
        body = body.substring(0, MAX_SHOWN) + "...";
      }
      throw new IOException("HTTP " + response.statusCode() + (body.isEmpty() ? "" : ": " + body));
    }
  }
}
