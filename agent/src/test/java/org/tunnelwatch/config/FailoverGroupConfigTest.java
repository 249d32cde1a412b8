package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FailoverGroupConfigTest {

  private static final String TWO_HUBS =
      """
      tunnels:
        - name: via-a
          ike: hub-a
          child: net
          source: 192.0.2.1
          targets: [203.0.113.10, 203.0.113.11]
        - name: via-b
          ike: hub-b
          child: net
          source: 192.0.2.2
          targets: [203.0.113.11, 203.0.113.10]
      failover:
        - name: central
          members: [via-a, via-b]
      """;

  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void aGroupWithOnlyItsMembersGetsTheDocumentedDefaults() throws Exception {
    AgentConfig config = loader.parse("t.yml", TWO_HUBS.getBytes());

    assertThat(config.failover())
        .containsExactly(
            new FailoverGroupConfig(
                "central",
                List.of("via-a", "via-b"),
                FailoverMode.HOT,
                Optional.of(Duration.ZERO),
                true,
                Duration.ofSeconds(60),
                new FailoverGroupConfig.HoldDown(3, Duration.ofMinutes(10), Duration.ofMinutes(15)),
                OptionalDouble.empty()));
  }

  @Test
  void everyKeyIsReadAndAPartialHoldDownKeepsTheOtherDefaults() throws Exception {
    String text =
        TWO_HUBS
            + """
                mode: cold
                failover-after: 0s
                preempt: false
                preempt-after: 2m
                hold-down: { failures: 5 }
                loss-limit: 0.4
            """;

    FailoverGroupConfig group = loader.parse("t.yml", text.getBytes()).failover().get(0);

    assertThat(group.mode()).isEqualTo(FailoverMode.COLD);
    assertThat(group.failoverAfter()).contains(Duration.ZERO);
    assertThat(group.preempt()).isFalse();
    assertThat(group.preemptAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(group.holdDown()).isEqualTo(new FailoverGroupConfig.HoldDown(5, Duration.ofMinutes(10), Duration.ofMinutes(15)));
    assertThat(group.lossLimit()).hasValue(0.4);
  }

  @Test
  void failoverAfterLadderWaitsForTheMembersOwnRungs() throws Exception {
    FailoverGroupConfig group =
        loader.parse("t.yml", (TWO_HUBS + "    failover-after: ladder\n").getBytes()).failover().get(0);

    assertThat(group.failoverAfter()).isEmpty();
  }

  @Test
  void aColdGroupWaitsForTheLadderByDefault() throws Exception {
    FailoverGroupConfig group = loader.parse("t.yml", (TWO_HUBS + "    mode: cold\n").getBytes()).failover().get(0);

    assertThat(group.failoverAfter()).as("cold: the member's own rungs first").isEmpty();
  }

  @Test
  void membersWithTheSameTargetsInAnotherOrderAreOneGroup() throws Exception {
    assertThat(loader.parse("t.yml", TWO_HUBS.getBytes()).failover().get(0).members()).containsExactly("via-a", "via-b");
  }

  @Test
  void aMemberMayNameItsTrafficChildApartFromItsProbeChild() throws Exception {
    AgentConfig config = loader.parse("t.yml", TWO_HUBS.replace("child: net\n", "child: probe\n    traffic-child: net-a\n").getBytes());
    assertThat(config.tunnels().get(0).child()).isEqualTo("probe");
    assertThat(config.tunnels().get(0).carrierChild()).isEqualTo("net-a");
    assertThat(config.tunnels().get(1).carrierChild()).isEqualTo("net-a");
  }
}
