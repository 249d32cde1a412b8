package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Repairs of what tunnels share, on the seed document's own layout: one satellite with two
 * subnets and one CHILD SA each in one IKE SA (sg1/sg11), against the hub's faults, each run with
 * {@code make_before_break = yes} and with strongSwan's stock setting (none). Traffic on both
 * subnets is watched by a ping every 200 ms from the start to the end, so that the test sees when
 * it came back and whether it was lost again.
 *
 * <p>Every scenario checks: traffic back within the fault's bound, no second outage, no collateral
 * outage counted, and the IKE SA acted on at most once per settle period.
 */
class SharedRepairsIT extends TrafficScenario {

  static final String IKE = "sg1-sgcentral";

  enum Fault {
    HUB_CRASH,
    HUB_RESTART,
    CUT_20S,
    CUT_90S,
    ESP_DROPPED_25S,
    ESP_DROPPED_90S,
    ONE_CHILD_ESP_DROPPED,
    SATELLITE_CHARON_KILLED
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(Fault.values()).flatMap(f -> Stream.of(Arguments.of(f, "yes"), Arguments.of(f, "no")));
  }

  // The scenarios run two at a time (each its own lab and agent); the class as a whole runs
  // alone, as every other lab class does.
  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0}, make_before_break {1}")
  @MethodSource("scenarios")
  void twoSubnetsInOneIkeSa(Fault fault, String makeBeforeBreak) throws Exception {
    AgentProcess agent = twoSubnetsWithAgent("--mbb", makeBeforeBreak);
    String lan = lab.env.get("TW_SAT_LAN");
    String lan2 = lab.env.get("TW_SAT_LAN2");
    assertThat(agent.scrape().sum("tunnelwatch_backend_make_before_break")).isEqualTo(makeBeforeBreak.equals("yes") ? 1.0 : 0.0);
    TrafficWatch first = watch("subnet 1", "sat", lan);
    TrafficWatch second = watch("subnet 2", "sat", lan2);
    TopologyIT.ChildSa siblingBefore = TopologyIT.childSa(lab, "sat", IKE, "net");

    Instant faultAt = Instant.now();
    Instant endAt = inflict(fault);

    List<TrafficWatch> hit = fault == Fault.ONE_CHILD_ESP_DROPPED ? List.of(second) : List.of(first, second);
    assertBackWithoutSecondOutage(hit, faultAt, endAt, boundFor(fault));
    assertNoCollateralOutage(agent);
    assertSharedObjectsActedOnAtMostOncePerSettlePeriod(agent, tunnel -> IKE);

    switch (fault) {
      case CUT_20S, CUT_90S -> {
        assertThat(carriedOut(agent, "restart-ike") + carriedOut(agent, "restart-service")).isZero();
        if (makeBeforeBreak.equals("no")) {
          assertThat(carriedOut(agent, "reauth-ike")).as("a reauthentication without make-before-break").isZero();
        }
      }
      case ESP_DROPPED_25S, ESP_DROPPED_90S -> assertThat(carriedOut(agent, "restart-service")).isZero();
      case ONE_CHILD_ESP_DROPPED -> {
        assertThat(first.outagesSince(faultAt)).as("outages of the healthy subnet").isZero();
        assertThat(actionsTaken(agent, "sg1")).isZero();
        assertThat(TopologyIT.childSa(lab, "sat", IKE, "net").spiIn()).isEqualTo(siblingBefore.spiIn());
      }
      case SATELLITE_CHARON_KILLED ->
          assertThat(carriedOut(agent, "restart-service")).as("one service restart for the gateway").isEqualTo(1.0);
      case HUB_CRASH, HUB_RESTART -> assertThat(carriedOut(agent, "restart-service")).isZero();
    }
  }

  /** Makes the fault and, for one that ends, ends it; returns when it ended (or was made). */
  private Instant inflict(Fault fault) throws InterruptedException {
    switch (fault) {
      case HUB_CRASH -> {
        lab.gateway("kill", "hub");
        lab.gateway("start", "hub");
      }
      case HUB_RESTART -> lab.gateway("restart", "hub");
      case CUT_20S -> faultFor("cut", Duration.ofSeconds(20));
      case CUT_90S -> faultFor("cut", Duration.ofSeconds(90));
      case ESP_DROPPED_25S -> faultFor("dataplane", Duration.ofSeconds(25));
      case ESP_DROPPED_90S -> faultFor("dataplane", Duration.ofSeconds(90));
      case ONE_CHILD_ESP_DROPPED -> lab.fault("child-dataplane", "net11");
      case SATELLITE_CHARON_KILLED -> lab.gateway("kill", "sat");
    }
    return Instant.now();
  }

  /** How long after the fault (or its end) traffic must be back, with the lab's test profile. */
  private static Duration boundFor(Fault fault) {
    return switch (fault) {
      case CUT_20S, CUT_90S, ESP_DROPPED_25S, ESP_DROPPED_90S -> AT_ONCE;
      default -> Duration.ofSeconds(25);
    };
  }
}
