package org.tunnelwatch.telemetry.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertBookTest {

  private static final Map<String, String> DOWN = Map.of("alertname", "TunnelwatchTunnelDown", "tunnel", "t1");
  private static final Map<String, String> OTHER = Map.of("alertname", "TunnelwatchTunnelDown", "tunnel", "t2");
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  private final AlertBook book = new AlertBook();

  @Test
  void firingTwiceIsOneChangeAndKeepsTheFirstStart() {
    assertThat(book.fire(DOWN, Map.of(), T0)).isTrue();
    assertThat(book.fire(DOWN, Map.of(), T0.plusSeconds(5))).isFalse();
    assertThat(book.version()).isEqualTo(1);
    assertThat(book.since(0).alerts()).singleElement().satisfies(a -> assertThat(a.startsAt()).isEqualTo(T0));
  }

  @Test
  void resolvingWhatDoesNotFireChangesNothing() {
    assertThat(book.resolve(DOWN, T0)).isFalse();
    assertThat(book.version()).isZero();
  }

  @Test
  void aResolvedAlertIsSentToReceiversThatHaveNotTakenItAndThenNoLonger() {
    book.fire(DOWN, Map.of("summary", "s"), T0);
    book.fire(OTHER, Map.of(), T0);
    long takenBeforeResolve = book.version();
    book.resolve(DOWN, T0.plusSeconds(60));

    AlertBook.Snapshot behind = book.since(takenBeforeResolve);
    assertThat(behind.alerts()).hasSize(2);
    assertThat(behind.alerts().get(0).endsAt()).contains(T0.plusSeconds(60));
    assertThat(behind.alerts().get(0).annotations()).containsEntry("summary", "s");
    assertThat(behind.alerts()).anyMatch(Alert::firing);

    AlertBook.Snapshot upToDate = book.since(behind.version());
    assertThat(upToDate.alerts()).extracting(Alert::firing).containsExactly(true);
    assertThat(book.firing()).isEqualTo(1);
  }

  @Test
  void anAlertThatFiresAgainStartsAgain() {
    book.fire(DOWN, Map.of(), T0);
    book.resolve(DOWN, T0.plusSeconds(10));
    book.fire(DOWN, Map.of(), T0.plusSeconds(20));
    assertThat(book.since(book.version()).alerts()).singleElement().satisfies(a -> {
      assertThat(a.firing()).isTrue();
      assertThat(a.startsAt()).isEqualTo(T0.plusSeconds(20));
    });
  }
}
