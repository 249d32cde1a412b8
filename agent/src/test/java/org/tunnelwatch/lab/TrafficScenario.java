package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * What the fault scenarios that watch traffic share: ping watches torn down after each test, a
 * fault held for a while and healed, and the checks every such scenario makes of the agent.
 */
abstract class TrafficScenario extends LabScenario {

  static final String HUB_LAN = "203.0.113.1";
  /** The test profile's settle time (AgentProcess's defaults). */
  static final Duration SETTLE = Duration.ofSeconds(5);
  /** How long the test goes on watching after traffic is back, for a second outage to show. */
  static final Duration AFTERWARDS = Duration.ofSeconds(15);
  /** Traffic back after a fault on the path ends: the installed SAs carry it at once. */
  static final Duration AT_ONCE = Duration.ofSeconds(2);

  private final List<TrafficWatch> watches = new ArrayList<>();

  @AfterEach
  void stopWatching() {
    watches.forEach(TrafficWatch::close);
  }

  /** Pings the hub's LAN from {@code from} on {@code gateway}, once traffic flows. */
  TrafficWatch watch(String name, String gateway, String from) throws IOException {
    TrafficWatch w = TrafficWatch.start(name, lab.namespace(gateway), from, HUB_LAN);
    watches.add(w);
    await(name + " flowing").atMost(Duration.ofSeconds(10)).until(() -> w.flowsSince(Instant.now().minusSeconds(1)));
    return w;
  }

  /** A fault of {@code kind} (with tw-lab's {@code args}) for {@code length}, then healed. */
  void faultFor(String kind, Duration length, String... args) throws InterruptedException {
    List<String> fault = new ArrayList<>(List.of(kind));
    fault.addAll(List.of(args));
    lab.fault(fault.toArray(String[]::new));
    Thread.sleep(length.toMillis());
    lab.heal(kind);
  }

  /**
   * Waits for the traffic of each watch back after {@code endAt}, then {@link #AFTERWARDS}, and
   * checks it came back within {@code bound} and was not lost again (counted from the first
   * recovery after {@code faultAt}).
   */
  static void assertBackWithoutSecondOutage(List<TrafficWatch> hit, Instant faultAt, Instant endAt, Duration bound)
      throws InterruptedException {
    for (TrafficWatch w : hit) {
      await(w.name() + " back").atMost(bound.plus(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(500))
          .until(() -> w.backAfter(endAt).isPresent());
    }
    Thread.sleep(AFTERWARDS.toMillis());
    for (TrafficWatch w : hit) {
      Instant back = w.backAfter(endAt).orElseThrow(() -> new AssertionError(w.name() + " lost again at the end"));
      assertThat(Duration.between(endAt, back)).as("%s back after the fault", w.name()).isLessThanOrEqualTo(bound);
      assertThat(w.outagesSince(w.firstBackAfter(faultAt))).as("second outages of %s", w.name()).isZero();
    }
  }

  /** Actions of this kind carried out by any tunnel (succeeded or failed). */
  static double carriedOut(AgentProcess agent, String action) {
    Scrape s = agent.scrape();
    return s.sum("tunnelwatch_remediations_total", "action", action, "result", "success")
        + s.sum("tunnelwatch_remediations_total", "action", action, "result", "failure");
  }

  static void assertNoCollateralOutage(AgentProcess agent) {
    assertThat(agent.scrape().sum("tunnelwatch_collateral_outages_total")).as("collateral outages").isZero();
  }

  private static final Pattern ACTION =
      Pattern.compile("(?m)^(\\S+) \\S+ +events: tunnel=(\\S+) action=(reauth-ike|restart-ike|rekey-ike|restart-service) result=(success|failure) took=(\\d+)ms");

  /**
   * An action's start is read back from the log as its line's stamp less its duration; both are
   * taken after the action, and the agent's settle time runs from its round's end on the monotonic
   * clock, so two starts exactly one settle time apart can read a few milliseconds short.
   */
  private static final Duration LOG_STAMP_SLACK = Duration.ofMillis(250);

  /** One IKE-level action or service restart as the agent logged it. */
  private record Logged(String tunnel, String action, Instant start, boolean failed) {}

  /**
   * Every IKE-level action and service restart in the agent's log: on one IKE SA ({@code ikeOf}
   * names each tunnel's), with the service restarts that act on every IKE SA, no two start within
   * a settle period of each other, unless the first failed (nothing to settle).
   */
  static void assertSharedObjectsActedOnAtMostOncePerSettlePeriod(AgentProcess agent, Function<String, String> ikeOf) {
    List<Logged> logged = new ArrayList<>();
    Matcher m = ACTION.matcher(agent.logText());
    while (m.find()) {
      Instant start = OffsetDateTime.parse(m.group(1)).toInstant().minusMillis(Long.parseLong(m.group(5)));
      logged.add(new Logged(m.group(2), m.group(3), start, m.group(4).equals("failure")));
    }
    for (String ike : logged.stream().map(l -> ikeOf.apply(l.tunnel())).distinct().toList()) {
      Logged previous = null;
      for (Logged l : logged) {
        if (!l.action().equals("restart-service") && !ikeOf.apply(l.tunnel()).equals(ike)) {
          continue;
        }
        if (previous != null && !previous.failed()) {
          assertThat(Duration.between(previous.start(), l.start())).as("%s after %s", l, previous)
              .isGreaterThanOrEqualTo(SETTLE.minus(LOG_STAMP_SLACK));
        }
        previous = l;
      }
    }
  }
}
