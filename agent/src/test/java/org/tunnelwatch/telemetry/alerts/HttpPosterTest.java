package org.tunnelwatch.telemetry.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tunnelwatch.HugeAnswerServer;
import org.tunnelwatch.input.InputLimits;

/**
 * A receiver that answers with far more than anyone needs, against the real JDK client: the
 * agent reads a bounded prefix and closes the connection, whatever the status.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpPosterTest {

  private static final long HUGE = 256L << 20;
  /** The limit plus what socket buffers on both sides hold. */
  private static final long READ_AT_MOST = InputLimits.ALERT_RESPONSE_BYTES + (16L << 20);

  private final HttpPoster http = new HttpPoster(Duration.ofSeconds(10));

  @Test
  void aHugeErrorAnswerGivesItsFirstLineAndIsNotReadToTheEnd() throws Exception {
    try (HugeAnswerServer receiver = new HugeAnswerServer(500, "receiver is broken", HUGE, false)) {
      assertThatThrownBy(() -> http.post(receiver.url("/hook"), "{}"))
          .isInstanceOf(IOException.class)
          .hasMessage("HTTP 500: receiver is broken");
      assertThat(receiver.writtenWhenDone()).isLessThan(READ_AT_MOST);
    }
  }

  @Test
  void aHugeBodyWithASuccessIsASuccessAndIsNotReadToTheEnd() throws Exception {
    try (HugeAnswerServer receiver = new HugeAnswerServer(200, "ok", HUGE, false)) {
      assertThatCode(() -> http.post(receiver.url("/hook"), "{}")).doesNotThrowAnyException();
      assertThat(receiver.writtenWhenDone()).isLessThan(READ_AT_MOST);
    }
  }

  @Test
  void aBodyThatTricklesForeverEndsAtTheDeadline() throws Exception {
    HttpPoster quick = new HttpPoster(Duration.ofSeconds(1));
    try (HugeAnswerServer receiver = new HugeAnswerServer(500, "slow", Long.MAX_VALUE, true)) {
      assertThatThrownBy(() -> quick.post(receiver.url("/hook"), "{}")).hasMessage("no answer within 1000ms");
      receiver.writtenWhenDone();
    }
  }
}
