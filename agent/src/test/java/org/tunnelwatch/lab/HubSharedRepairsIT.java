package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The daemon as the shared object: the agent on a hub with three satellites, one IKE SA each,
 * against faults of one satellite (the others must never notice) and of the hub's own charon,
 * each run with and without {@code make_before_break}. Traffic is watched from every satellite's
 * LAN to the hub's.
 */
class HubSharedRepairsIT extends TrafficScenario {

  private static final List<String> SATELLITES = List.of("sat", "sat2", "sat3");

  enum Fault {
    SATELLITE_CRASH,
    SATELLITE_CUT_20S,
    SATELLITE_ESP_DROPPED_25S,
    HUB_CHARON_KILLED
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(Fault.values()).flatMap(f -> Stream.of(Arguments.of(f, "yes"), Arguments.of(f, "no")));
  }

  /** tw-lab's names: "sat" is satellite 1, "sat2" satellite 2, ... */
  private static String index(String sat) {
    return sat.equals("sat") ? "1" : sat.substring(3);
  }

  private String lanOf(String sat) {
    return lab.env.get(sat.equals("sat") ? "TW_SAT_LAN" : "TW_SAT" + index(sat) + "_LAN");
  }

  // The scenarios run two at a time (each its own lab and agent); the class as a whole runs
  // alone, as every other lab class does.
  @Execution(ExecutionMode.CONCURRENT)
  @ParameterizedTest(name = "{0}, make_before_break {1}")
  @MethodSource("scenarios")
  void oneDaemonForThreeSatellites(Fault fault, String makeBeforeBreak) throws Exception {
    lab = Lab.up("--topology", "hub-spoke", "--satellites", "3", "--mbb", makeBeforeBreak);
    StringBuilder tunnels = new StringBuilder();
    for (String sat : SATELLITES) {
      tunnels.append(AgentProcess.tunnel("to-" + sat, "sgcentral-sg" + index(sat), "net", HUB_LAN, lanOf(sat)));
    }
    AgentProcess agent =
        started(AgentProcess.startOn(lab, "hub", AgentProcess.config(lab, "hub", "", "", tunnels.toString())));
    Map<String, TrafficWatch> bySatellite = new LinkedHashMap<>();
    for (String sat : SATELLITES) {
      awaitState(agent, "to-" + sat, "up", BOUND);
      bySatellite.put(sat, watch(sat, sat, lanOf(sat)));
    }

    Instant faultAt = Instant.now();
    Instant endAt = inflict(fault);
    List<String> hit = fault == Fault.HUB_CHARON_KILLED ? SATELLITES : List.of("sat2");
    Duration bound =
        switch (fault) {
          case SATELLITE_CUT_20S, SATELLITE_ESP_DROPPED_25S -> AT_ONCE;
          case SATELLITE_CRASH -> Duration.ofSeconds(25);
          case HUB_CHARON_KILLED -> Duration.ofSeconds(40);
        };
    assertBackWithoutSecondOutage(hit.stream().map(bySatellite::get).toList(), faultAt, endAt, bound);
    for (String sat : SATELLITES) {
      if (!hit.contains(sat)) {
        assertThat(bySatellite.get(sat).outagesSince(faultAt)).as("outages of %s, which the fault did not touch", sat).isZero();
        assertThat(actionsTaken(agent, "to-" + sat)).as("actions for %s", sat).isZero();
      }
    }
    assertNoCollateralOutage(agent);
    assertSharedObjectsActedOnAtMostOncePerSettlePeriod(agent, tunnel -> tunnel);
    if (fault == Fault.HUB_CHARON_KILLED) {
      assertThat(carriedOut(agent, "restart-service")).as("one service restart for the gateway").isEqualTo(1.0);
    } else {
      assertThat(carriedOut(agent, "restart-service")).as("a service restart would cut the healthy satellites").isZero();
    }
  }

  private Instant inflict(Fault fault) throws InterruptedException {
    switch (fault) {
      case SATELLITE_CRASH -> {
        lab.gateway("kill", "sat2");
        lab.gateway("start", "sat2");
      }
      case SATELLITE_CUT_20S -> faultFor("cut", Duration.ofSeconds(20), "--sat", "sat2");
      case SATELLITE_ESP_DROPPED_25S -> faultFor("dataplane", Duration.ofSeconds(25), "--sat", "sat2");
      case HUB_CHARON_KILLED -> lab.gateway("kill", "hub");
    }
    return Instant.now();
  }
}
