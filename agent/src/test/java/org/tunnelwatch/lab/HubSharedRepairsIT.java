package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
@Execution(ExecutionMode.CONCURRENT)
class HubSharedRepairsIT extends LabScenario {

  private static final String HUB_LAN = "203.0.113.1";
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

  private final List<TrafficWatch> watches = new ArrayList<>();

  @AfterEach
  void stopWatching() {
    watches.forEach(TrafficWatch::close);
  }

  @ParameterizedTest(name = "{0}, make_before_break {1}")
  @MethodSource("scenarios")
  void oneDaemonForThreeSatellites(Fault fault, String makeBeforeBreak) throws Exception {
    lab = Lab.up("--topology", "hub-spoke", "--satellites", "3", "--mbb", makeBeforeBreak);
    StringBuilder tunnels = new StringBuilder();
    Map<String, TrafficWatch> bySatellite = new LinkedHashMap<>();
    for (String sat : SATELLITES) {
      String suffix = sat.equals("sat") ? "" : sat.substring(3);
      String lan = lab.env.get(sat.equals("sat") ? "TW_SAT_LAN" : "TW_SAT" + suffix + "_LAN");
      String index = sat.equals("sat") ? "1" : suffix;
      tunnels.append(AgentProcess.tunnel("to-" + sat, "sgcentral-sg" + index, "net", HUB_LAN, lan));
      bySatellite.put(sat, null);
    }
    String backend = "strongswan-conf: " + lab.env.get("TW_HUB_CONF") + "\n";
    AgentProcess agent =
        started(AgentProcess.startOn(lab, "hub", AgentProcess.config(lab, "hub", backend, "", tunnels.toString())));
    for (String sat : SATELLITES) {
      awaitState(agent, "to-" + sat, "up", BOUND);
      String lan = lab.env.get(sat.equals("sat") ? "TW_SAT_LAN" : "TW_SAT" + sat.substring(3) + "_LAN");
      TrafficWatch w = TrafficWatch.start(sat, lab.namespace(sat), lan, HUB_LAN);
      watches.add(w);
      await(sat + " flowing").atMost(Duration.ofSeconds(10)).until(() -> w.flowsSince(Instant.now().minusSeconds(1)));
      bySatellite.put(sat, w);
    }

    Instant faultAt = Instant.now();
    Instant endAt = inflict(fault);
    List<String> hit = fault == Fault.HUB_CHARON_KILLED ? SATELLITES : List.of("sat2");
    Duration bound =
        switch (fault) {
          case SATELLITE_CUT_20S, SATELLITE_ESP_DROPPED_25S -> SharedRepairsIT.AT_ONCE;
          case SATELLITE_CRASH -> Duration.ofSeconds(25);
          case HUB_CHARON_KILLED -> Duration.ofSeconds(40);
        };
    for (String sat : hit) {
      TrafficWatch w = bySatellite.get(sat);
      await(sat + " back").atMost(bound.plus(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(500))
          .until(() -> w.backAfter(endAt).isPresent());
    }
    Thread.sleep(SharedRepairsIT.AFTERWARDS.toMillis());

    for (String sat : SATELLITES) {
      TrafficWatch w = bySatellite.get(sat);
      if (hit.contains(sat)) {
        Instant back = w.backAfter(endAt).orElseThrow(() -> new AssertionError(sat + " lost again at the end"));
        assertThat(Duration.between(endAt, back)).as("%s back after the fault (%s)", sat, fault).isLessThanOrEqualTo(bound);
        assertThat(w.outagesSince(w.firstBackAfter(faultAt))).as("second outages of %s", sat).isZero();
      } else {
        assertThat(w.outagesSince(faultAt)).as("outages of %s, which the fault did not touch", sat).isZero();
        assertThat(actionsTaken(agent, "to-" + sat)).as("actions for %s", sat).isZero();
      }
    }
    assertThat(agent.scrape().sum("tunnelwatch_collateral_outages_total")).as("collateral outages").isZero();
    SharedRepairsIT.assertIkeSaActedOnAtMostOncePerSettlePeriod(agent);
    double serviceRestarts = SharedRepairsIT.interrupting(agent, "restart-service");
    if (fault == Fault.HUB_CHARON_KILLED) {
      assertThat(serviceRestarts).as("one service restart for the gateway").isEqualTo(1.0);
    } else {
      assertThat(serviceRestarts).as("a service restart would cut the healthy satellites").isZero();
    }
  }

  private Instant inflict(Fault fault) throws InterruptedException {
    switch (fault) {
      case SATELLITE_CRASH -> {
        lab.gateway("kill", "sat2");
        lab.gateway("start", "sat2");
      }
      case SATELLITE_CUT_20S -> faultFor("cut", Duration.ofSeconds(20));
      case SATELLITE_ESP_DROPPED_25S -> faultFor("dataplane", Duration.ofSeconds(25));
      case HUB_CHARON_KILLED -> lab.gateway("kill", "hub");
    }
    return Instant.now();
  }

  private void faultFor(String kind, Duration length) throws InterruptedException {
    lab.fault(kind, "--sat", "sat2");
    Thread.sleep(length.toMillis());
    lab.heal(kind);
  }
}
