package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.ipsec.ChildSa;

class InboundTrafficTest {

  private static final HealthState UP = new HealthState(TunnelState.UP, 0, 5, RoundWindow.empty(), 0, "up", 0);

  private static Optional<ChildSa> child(long id, String state, long packetsIn) {
    return Optional.of(new ChildSa("net", id, state, packetsIn * 100, 0, packetsIn, 0));
  }

  @Test
  void packetsInSinceTheLastRoundProveAnUpTunnelAlive() {
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "INSTALLED", 11), UP, 0)).isTrue();
  }

  @Test
  void theAgentsOwnEchoRepliesSinceTheLastReadingProveNothing() {
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "INSTALLED", 13), UP, 3)).isFalse();
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "INSTALLED", 14), UP, 3)).isTrue();
  }

  @Test
  void aCounterThatStoodStillProvesNothing() {
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "INSTALLED", 10), UP, 0)).isFalse();
  }

  @Test
  void countersOfAnotherInstanceAreNotCompared() {
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(2, "INSTALLED", 50), UP, 0)).isFalse();
  }

  @Test
  void aChildSaNotInstalledOrNotSeenProvesNothing() {
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "REKEYING", 50), UP, 0)).isFalse();
    assertThat(InboundTraffic.provesLife(Optional.empty(), child(1, "INSTALLED", 50), UP, 0)).isFalse();
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), Optional.empty(), UP, 0)).isFalse();
  }

  @Test
  void onlyAnUpTunnelWithoutAFailedRoundIsSparedItsEchoes() {
    for (TunnelState state : TunnelState.values()) {
      HealthState health = new HealthState(state, 0, 5, RoundWindow.empty(), 0, "", 0);
      assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "INSTALLED", 11), health, 0))
          .as(state.label())
          .isEqualTo(state == TunnelState.UP);
    }
    HealthState failing = new HealthState(TunnelState.UP, 1, 0, RoundWindow.empty(), 0, "", 0);
    assertThat(InboundTraffic.provesLife(child(1, "INSTALLED", 10), child(1, "INSTALLED", 11), failing, 0)).isFalse();
  }

  @Test
  void aRoundProvenByTrafficIsGoodAndNeutralForLossAndRtt() {
    RoundSample sample = RoundSample.provenByTraffic(5, 3);
    assertThat(sample.failed()).isFalse();
    assertThat(sample.byTraffic()).isTrue();
    RoundWindow window = RoundWindow.empty().plus(new RoundSample(1, 3, 2, 10), java.time.Duration.ofMinutes(1)).plus(sample, java.time.Duration.ofMinutes(1));
    assertThat(window.lossRatio()).isEqualTo(1.0 / 3);
  }
}
