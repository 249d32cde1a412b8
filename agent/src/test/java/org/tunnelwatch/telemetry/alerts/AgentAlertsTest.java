package org.tunnelwatch.telemetry.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
  private final AgentAlerts alerts = new AgentAlerts(book, "sg1", time, wakeUps::incrementAndGet);

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
  void anUplinkDownFiresAndUpResolves() {
    alerts.uplinkChanged("wan", new LinkState("ppp0", true, "down", false, false));
    assertThat(book.since(0).alerts()).singleElement().satisfies(a -> {
      assertThat(a.labels()).containsEntry("alertname", "TunnelwatchUplinkDown").containsEntry("uplink", "wan").containsEntry("severity", "warning");
      assertThat(a.firing()).isTrue();
    });
    alerts.uplinkChanged("wan", new LinkState("ppp0", true, "up", true, true));
    assertThat(book.firing()).isZero();
  }
}
