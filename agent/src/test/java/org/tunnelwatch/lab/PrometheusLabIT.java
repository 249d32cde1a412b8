package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators see, end to end: a real Prometheus (Debian package), running in the satellite's
 * namespace, scrapes the packaged agent in the lab and evaluates the alerting rules while the
 * data plane of the tunnel is cut and repaired. Then every expression of the Grafana dashboards
 * (panels and variables) and of the rules is evaluated through the Prometheus HTTP API: each
 * must parse and return data (those of failover groups in {@link FailoverDashboardIT}). A live
 * scrape passes {@code promtool check metrics}.
 */
class PrometheusLabIT {

  private static final Duration BOUND = Duration.ofSeconds(60);
  /** Only a failover group has these series: FailoverDashboardIT checks their panels and rules. */
  static final Predicate<String> FAILOVER = expr -> expr.contains("tunnelwatch_failover_");

  @TempDir Path dir;

  private Lab lab;
  private AgentProcess agent;
  private LabPrometheus prometheus;

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
      if (agent != null) {
        agent.close();
        System.out.println("---- agent log (lab " + lab.name + ")\n" + agent.logText());
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  @Test
  void everyDashboardAndRuleExpressionReturnsDataFromARealScrapeOfABrokenTunnel() throws Exception {
    LabPrerequisites.require();
    LabPrometheus.require();

    lab = Lab.up();
    // The agent's own alerts go to an Alertmanager that is not there: they are counted as failed,
    // so that the dashboard's notification panel has data. Without holds: the outages here are
    // shorter than the rules' for:.
    agent = AgentProcess.start(lab, "", "alerting:\n  alertmanagers: [\"http://127.0.0.1:19093\"]\n  resend-interval: 5s\n  timeout: 1s\n  gateway: " + lab.name + "\n"
        + "  hold:\n    tunnel-down: 0s\n    ladder-exhausted: 0s\n    uplink-down: 0s\n");
    await("tunnel up").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);
    long start = System.currentTimeMillis() / 1000;
    prometheus = LabPrometheus.start(lab, dir, AgentProcess.PORT);

    String scrape = lab.httpGet("http://127.0.0.1:" + AgentProcess.PORT + "/metrics");
    Lab.Result lint = lint(scrape);
    assertThat(lint.output()).as("promtool check metrics on a live scrape").isEmpty();
    assertThat(lint.exitCode()).isZero();

    Thread.sleep(5_000); // some healthy history
    lab.fault("dataplane");
    await("the ladder tried twice").atMost(BOUND)
        .until(() -> agent.scrape().sum("tunnelwatch_remediations_total", "result", "success")
            + agent.scrape().sum("tunnelwatch_remediations_total", "result", "failure") >= 2);
    lab.heal();
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    await("tunnel up again").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);
    Thread.sleep(4_000); // a few more scrapes and rule evaluations
    long end = System.currentTimeMillis() / 1000;

    LabPrometheus.Checked checked = prometheus.checkExpressions(FAILOVER.negate(), AgentProcess.PORT, start, end);
    System.out.println("PrometheusLabIT: " + checked.count() + " expressions evaluated, over " + (end - start) + " s of scrapes");
    assertThat(checked.problems()).as("expressions checked: %d", checked.count()).isEmpty();
    assertThat(checked.count()).isGreaterThan(80);

    // The rules ran on the real data: the outage made the down rule pending.
    assertThat(LabPrometheus.result(prometheus.queryRange("ALERTS{alertname=\"TunnelwatchTunnelDown\", tunnel=\"" + lab.env.get("TW_IKE") + "\"}", start, end)))
        .as("TunnelwatchTunnelDown pending during the outage").isNotEmpty();

    slaFiguresAgreeWithTheAgentsOwnCounts(lab.env.get("TW_IKE"));
  }

  /**
   * The run had an outage (or more), whose down time and detection time the agent counted
   * itself: the recording rules must find the same means (increase() extrapolates a little, hence the margin).
   * Availability over a run shorter than the 5-minute rate is diluted (each recorded sample is
   * the down time so far over 5 minutes), so it is bounded, not equated; the exact arithmetic is
   * in prometheus/tests/tunnelwatch.sla.test.yml.
   */
  private void slaFiguresAgreeWithTheAgentsOwnCounts(String tunnel) throws IOException {
    Scrape scrape = agent.scrape();
    double outages = scrape.sum("tunnelwatch_tunnel_state_changes_total", "tunnel", tunnel, "state", "down");
    double down = scrape.sum("tunnelwatch_tunnel_down_seconds_total", "tunnel", tunnel);
    double detection = scrape.sum("tunnelwatch_tunnel_outage_detection_seconds_total", "tunnel", tunnel);
    assertThat(outages).as("outages the agent counted").isGreaterThanOrEqualTo(1.0);
    assertThat(down).as("down time the agent counted").isPositive();
    String labels = "{tunnel=\"" + tunnel + "\", gateway=\"" + lab.name + "\"}";
    System.out.printf("PrometheusLabIT SLA: agent counted %.0f outages, %.2f s down, %.2f s detection%n", outages, down, detection);
    for (String window : List.of("1d", "7d", "30d")) {
      double recordedOutages = prometheus.value("tunnel:tunnelwatch_outages:increase" + window + labels);
      double repair = prometheus.value("tunnel:tunnelwatch_time_to_repair_seconds:mean" + window + labels);
      double detect = prometheus.value("tunnel:tunnelwatch_time_to_detect_seconds:mean" + window + labels);
      double availability = prometheus.value("tunnel:tunnelwatch_availability:ratio" + window + labels);
      System.out.printf("PrometheusLabIT SLA %s: outages %.3f, MTTR %.2f s, MTTD %.2f s, availability %.5f%n",
          window, recordedOutages, repair, detect, availability);
      assertThat((double) Math.round(recordedOutages)).as("outages over " + window).isEqualTo(outages);
      assertThat(repair).as("mean time to repair over " + window).isCloseTo(down / outages, Percentage.withPercentage(10));
      assertThat(detect).as("mean time to detect over " + window).isCloseTo(detection / outages, Offset.offset(0.1 * detection / outages + 0.01));
      assertThat(availability).as("availability over " + window).isLessThan(1.0).isGreaterThanOrEqualTo(1.0 - 1.2 * down / 300);
    }
  }

  private Lab.Result lint(String scrape) throws IOException {
    Path file = dir.resolve("scrape.txt");
    Files.writeString(file, scrape, StandardCharsets.UTF_8);
    return Lab.run(List.of("sh", "-c", LabPrometheus.PROMTOOL + " check metrics < '" + file + "'"));
  }
}
