package org.tunnelwatch.telemetry.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Nested;
import org.tunnelwatch.config.AlertHolds;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.health.RoundWindow;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.time.ManualTime;
import org.tunnelwatch.tunnel.TunnelRound;

class AgentAlertsTest {

  private final ManualTime time = new ManualTime();
  private final AlertBook book = new AlertBook();
  private final AtomicInteger wakeUps = new AtomicInteger();
  private final AgentAlerts alerts = new AgentAlerts(book, "sg1", time, AlertHolds.NONE, wakeUps::incrementAndGet);

  private static HealthState state(TunnelState state, String reason) {
    return new HealthState(state, 0, 0, RoundWindow.empty(), 0, reason, 0);
  }

  private static TunnelRound round(String tunnel) {
    return new TunnelRound(tunnel, Instant.EPOCH, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), new RoundSample(0, 0, 0, 0));
  }

  @Test
  void aTunnelGoingDownFiresWithTheGatewayTheTunnelAndTheReason() {
    alerts.stateChanged("t1", state(TunnelState.UP, ""), state(TunnelState.DOWN, "no reply in 3 consecutive rounds"));

    Alert alert = book.since(0).alerts().get(0);
    assertThat(alert.labels())
        .containsEntry("alertname", "TunnelwatchTunnelDown")
        .containsEntry("gateway", "sg1")
        .containsEntry("tunnel", "t1")
        .containsEntry("severity", "critical")
        .containsEntry("source", "agent");
    assertThat(alert.annotations().get("description")).contains("t1", "sg1", "no reply in 3 consecutive rounds");
    assertThat(alert.annotations()).containsEntry("runbook_url", "file:///usr/share/doc/tunnelwatch/runbook.md#tunnelwatchtunneldown");
    assertThat(alert.startsAt()).isEqualTo(time.now());
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void leavingDownResolvesAndOtherChangesDoNothing() {
    alerts.stateChanged("t1", state(TunnelState.UNKNOWN, ""), state(TunnelState.UP, ""));
    alerts.stateChanged("t1", state(TunnelState.UP, ""), state(TunnelState.DEGRADED, ""));
    assertThat(book.version()).isZero();

    alerts.stateChanged("t1", state(TunnelState.DEGRADED, ""), state(TunnelState.DOWN, ""));
    time.advance(Duration.ofSeconds(30));
    alerts.stateChanged("t1", state(TunnelState.DOWN, ""), state(TunnelState.DEGRADED, ""));

    assertThat(book.firing()).isZero();
    assertThat(book.since(0).alerts()).singleElement().satisfies(a -> assertThat(a.endsAt()).contains(time.now()));
    assertThat(wakeUps).hasValue(2);
  }

  @Test
  void theLadderAlertFollowsTheExhaustedFlagRoundByRound() {
    RemedyState exhausted = new RemedyState(3, OptionalLong.of(0), List.of(), false, true);
    alerts.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), exhausted);
    alerts.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), exhausted);
    assertThat(book.since(0).alerts()).extracting(Alert::name).containsExactly("TunnelwatchLadderExhausted");
    assertThat(wakeUps).hasValue(1);

    alerts.roundCompleted(round("t1"), state(TunnelState.UP, ""), RemedyState.initial());
    assertThat(book.firing()).isZero();
    assertThat(wakeUps).hasValue(2);
  }

  @Test
  void aReloadThatRemovesATunnelOrUplinkResolvesItsAlertsAndKeepsTheOthers() {
    alerts.stateChanged("gone", state(TunnelState.UP, ""), state(TunnelState.DOWN, ""));
    alerts.stateChanged("kept", state(TunnelState.UP, ""), state(TunnelState.DOWN, ""));
    alerts.uplinkChanged("lte", new LinkState("wwan0", true, "down", false, false));
    time.advance(Duration.ofSeconds(5));
    int before = wakeUps.get();

    alerts.retain(Set.of("kept"), Set.of("wan"));

    assertThat(book.since(0).alerts()).filteredOn(Alert::firing).extracting(a -> a.labels().get("tunnel")).containsExactly("kept");
    assertThat(book.since(0).alerts()).filteredOn(a -> !a.firing()).extracting(Alert::endsAt).containsOnly(java.util.Optional.of(time.now()));
    assertThat(book.since(0).alerts()).hasSize(3);
    assertThat(wakeUps).as("receivers told at once").hasValue(before + 1);
  }

  @Test
  void anUplinkDownFiresAndUpResolves() {
    alerts.uplinkChanged("wan", new LinkState("ppp0", true, "down", false, false));
    assertThat(book.since(0).alerts()).singleElement().satisfies(a -> {
      assertThat(a.labels()).containsEntry("alertname", "TunnelwatchUplinkDown").containsEntry("uplink", "wan").containsEntry("severity", "warning");
      assertThat(a.firing()).isTrue();
    });
    alerts.uplinkChanged("wan", new LinkState("ppp0", true, "up", true, true));
    assertThat(book.firing()).isZero();
  }

  /** With the shipped holds (the rules' for:), on a fake clock. */
  @Nested
  class Holds {

    private final AgentAlerts held =
        new AgentAlerts(book, "sg1", time, new AlertHolds(Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofMinutes(2)), wakeUps::incrementAndGet);

    @Test
    void aTunnelRepairedWithinTheHoldPagesNobody() {
      held.stateChanged("t1", state(TunnelState.UP, ""), state(TunnelState.DOWN, "no reply in 3 consecutive rounds"));
      time.advance(Duration.ofSeconds(110));
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), RemedyState.initial());
      held.stateChanged("t1", state(TunnelState.DOWN, ""), state(TunnelState.UP, "replies in 2 consecutive rounds"));
      time.advance(Duration.ofMinutes(5));
      held.roundCompleted(round("t1"), state(TunnelState.UP, ""), RemedyState.initial());

      assertThat(book.since(0).alerts()).isEmpty();
      assertThat(book.version()).isZero();
      assertThat(wakeUps).hasValue(0);
    }

    @Test
    void aTunnelStillDownAfterTheHoldFiresAtTheNextRoundStartingWhenItWentDown() {
      Instant wentDown = time.now();
      held.stateChanged("t1", state(TunnelState.UP, ""), state(TunnelState.DOWN, "no reply in 3 consecutive rounds"));
      time.advance(Duration.ofSeconds(119));
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), RemedyState.initial());
      assertThat(book.firing()).as("one second before the hold is over").isZero();

      time.advance(Duration.ofSeconds(2));
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), RemedyState.initial());

      assertThat(book.since(0).alerts()).singleElement().satisfies(a -> {
        assertThat(a.name()).isEqualTo("TunnelwatchTunnelDown");
        assertThat(a.startsAt()).isEqualTo(wentDown);
        assertThat(a.firing()).isTrue();
      });
      assertThat(wakeUps).hasValue(1);
    }

    @Test
    void aHeldAlertThatFiredResolvesAsBefore() {
      held.stateChanged("t1", state(TunnelState.UP, ""), state(TunnelState.DOWN, ""));
      time.advance(Duration.ofMinutes(3));
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), RemedyState.initial());
      held.stateChanged("t1", state(TunnelState.DOWN, ""), state(TunnelState.UP, ""));

      assertThat(book.firing()).isZero();
      assertThat(book.since(0).alerts()).singleElement().satisfies(a -> assertThat(a.endsAt()).contains(time.now()));
      assertThat(wakeUps).hasValue(2);
    }

    @Test
    void eachAlertHasItsOwnHold() {
      RemedyState exhausted = new RemedyState(3, OptionalLong.of(0), List.of(), false, true);
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), exhausted);
      held.uplinkChanged("wan", new LinkState("wan0", true, "down", false, false));
      time.advance(Duration.ofSeconds(61));
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), exhausted);

      assertThat(book.since(0).alerts()).extracting(Alert::name).containsExactly("TunnelwatchLadderExhausted");

      time.advance(Duration.ofSeconds(60));
      held.roundCompleted(round("t1"), state(TunnelState.DOWN, ""), exhausted);
      assertThat(book.since(0).alerts()).extracting(Alert::name).contains("TunnelwatchUplinkDown");
    }

    @Test
    void aNewHoldFromAReloadAppliesToAlertsPendingFromThenOn() {
      held.holds(AlertHolds.NONE);
      held.stateChanged("t2", state(TunnelState.UP, ""), state(TunnelState.DOWN, ""));

      assertThat(book.firing()).isOne();
    }
  }
}
