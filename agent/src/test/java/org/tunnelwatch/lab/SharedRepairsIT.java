package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
 * outage counted, and the IKE SA acted on at most once per settle period. The scenarios run two
 * at a time (each has its own lab and agent).
 */
@Execution(ExecutionMode.CONCURRENT)
class SharedRepairsIT extends LabScenario {

  static final String IKE = "sg1-sgcentral";
  static final String HUB_LAN = "203.0.113.1";
  /** The test profile's settle time (AgentProcess's defaults). */
  static final Duration SETTLE = Duration.ofSeconds(5);
  /** How long the test goes on watching after traffic is back, for a second outage to show. */
  static final Duration AFTERWARDS = Duration.ofSeconds(15);
  /** Traffic back after a fault on the path ends: the installed SAs carry it at once. */
  static final Duration AT_ONCE = Duration.ofSeconds(2);

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

  private final List<TrafficWatch> watches = new ArrayList<>();

  @AfterEach
  void stopWatching() {
    watches.forEach(TrafficWatch::close);
  }

  @ParameterizedTest(name = "{0}, make_before_break {1}")
  @MethodSource("scenarios")
  void twoSubnetsInOneIkeSa(Fault fault, String makeBeforeBreak) throws Exception {
    lab = Lab.up("--topology", "two-subnets", "--mbb", makeBeforeBreak);
    String lan = lab.env.get("TW_SAT_LAN");
    String lan2 = lab.env.get("TW_SAT_LAN2");
    String tunnels =
        AgentProcess.tunnel("sg1", IKE, "net", lan, HUB_LAN) + AgentProcess.tunnel("sg11", IKE, "net11", lan2, HUB_LAN);
    String backend = "strongswan-conf: " + lab.env.get("TW_SAT_CONF") + "\n";
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", AgentProcess.config(lab, "sat", backend, "", tunnels)));
    awaitState(agent, "sg1", "up", BOUND);
    awaitState(agent, "sg11", "up", BOUND);
    assertThat(agent.scrape().sum("tunnelwatch_backend_make_before_break")).isEqualTo(makeBeforeBreak.equals("yes") ? 1.0 : 0.0);
    TrafficWatch first = watch("subnet 1", lan);
    TrafficWatch second = watch("subnet 2", lan2);
    TopologyIT.ChildSa siblingBefore = TopologyIT.childSa(lab, "sat", IKE, "net");

    Instant faultAt = Instant.now();
    Instant endAt = inflict(fault);
    Duration bound = boundFor(fault);

    List<TrafficWatch> hit = fault == Fault.ONE_CHILD_ESP_DROPPED ? List.of(second) : watches;
    for (TrafficWatch w : hit) {
      await(w.name() + " back").atMost(bound.plus(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(500))
          .until(() -> w.backAfter(endAt).isPresent());
    }
    Thread.sleep(AFTERWARDS.toMillis());

    for (TrafficWatch w : hit) {
      Instant back = w.backAfter(endAt).orElseThrow(() -> new AssertionError(w.name() + " lost again at the end"));
      assertThat(Duration.between(endAt, back)).as("%s back after the fault (%s)", w.name(), fault).isLessThanOrEqualTo(bound);
      assertThat(w.outagesSince(w.firstBackAfter(faultAt))).as("second outages of %s", w.name()).isZero();
    }
    assertThat(agent.scrape().sum("tunnelwatch_collateral_outages_total")).as("collateral outages").isZero();
    assertIkeSaActedOnAtMostOncePerSettlePeriod(agent);

    switch (fault) {
      case CUT_20S, CUT_90S -> {
        assertThat(interrupting(agent, "restart-ike") + interrupting(agent, "restart-service")).isZero();
        if (makeBeforeBreak.equals("no")) {
          assertThat(interrupting(agent, "reauth-ike")).as("a reauthentication without make-before-break").isZero();
        }
      }
      case ESP_DROPPED_25S, ESP_DROPPED_90S -> assertThat(interrupting(agent, "restart-service")).isZero();
      case ONE_CHILD_ESP_DROPPED -> {
        assertThat(first.outagesSince(faultAt)).as("outages of the healthy subnet").isZero();
        assertThat(actionsTaken(agent, "sg1")).isZero();
        assertThat(TopologyIT.childSa(lab, "sat", IKE, "net").spiIn()).isEqualTo(siblingBefore.spiIn());
      }
      case SATELLITE_CHARON_KILLED ->
          assertThat(interrupting(agent, "restart-service")).as("one service restart for the gateway").isEqualTo(1.0);
      case HUB_CRASH, HUB_RESTART -> assertThat(interrupting(agent, "restart-service")).isZero();
    }
  }

  private TrafficWatch watch(String name, String from) throws IOException {
    TrafficWatch w = TrafficWatch.start(name, lab.namespace("sat"), from, HUB_LAN);
    watches.add(w);
    await(name + " flowing").atMost(Duration.ofSeconds(10)).until(() -> w.flowsSince(Instant.now().minusSeconds(1)));
    return w;
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

  private void faultFor(String kind, Duration length) throws InterruptedException {
    lab.fault(kind);
    Thread.sleep(length.toMillis());
    lab.heal(kind);
  }

  /** How long after the fault (or its end) traffic must be back, with the lab's test profile. */
  static Duration boundFor(Fault fault) {
    return switch (fault) {
      case CUT_20S, CUT_90S, ESP_DROPPED_25S, ESP_DROPPED_90S -> AT_ONCE;
      default -> Duration.ofSeconds(25);
    };
  }

  /** Actions of this kind carried out by any tunnel (succeeded or failed). */
  static double interrupting(AgentProcess agent, String action) {
    Scrape s = agent.scrape();
    return s.sum("tunnelwatch_remediations_total", "action", action, "result", "success")
        + s.sum("tunnelwatch_remediations_total", "action", action, "result", "failure");
  }

  private static final Pattern ACTION =
      Pattern.compile("(?m)^(\\S+) \\S+ +EventLog: tunnel=(\\S+) action=(reauth-ike|restart-ike|rekey-ike|restart-service) result=(success|failure) took=(\\d+)ms");

  /**
   * Every IKE-level action (and service restart) in the agent's log, by any tunnel: no two start
   * within a settle period of each other, unless the first failed (nothing to settle).
   */
  static void assertIkeSaActedOnAtMostOncePerSettlePeriod(AgentProcess agent) {
    Matcher m = ACTION.matcher(agent.logText());
    Instant previousStart = null;
    boolean previousFailed = false;
    String previous = null;
    while (m.find()) {
      Instant start = OffsetDateTime.parse(m.group(1)).toInstant().minusMillis(Long.parseLong(m.group(5)));
      String what = m.group(3) + " by " + m.group(2) + " at " + start;
      if (previousStart != null && !previousFailed) {
        assertThat(Duration.between(previousStart, start)).as("%s after %s", what, previous).isGreaterThanOrEqualTo(SETTLE);
      }
      previousStart = start;
      previousFailed = m.group(4).equals("failure");
      previous = what;
    }
  }
}
