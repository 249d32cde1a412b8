package org.tunnelwatch.ipsec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheMaximumAndStaysThere() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    assertThat(new Duration[] {b.next(), b.next(), b.next(), b.next(), b.next()})
        .containsExactly(
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @Test
  void aResetStartsAgainFromTheFirstWait() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    b.next();
    b.next();
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aMaximumThatIsNotAPowerOfTwoOfTheFirstIsReachedExactly() {
    Backoff b = new Backoff(Duration.ofMillis(300), Duration.ofSeconds(1));
    b.next();
    b.next();
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
