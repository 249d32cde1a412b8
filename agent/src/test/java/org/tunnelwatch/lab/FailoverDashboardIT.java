package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.lab.DualHubLab.HubFault;

/**
 * The dashboards' and rules' failover expressions, which {@link PrometheusLabIT}'s one-tunnel lab
 * cannot feed: a real Prometheus scrapes the agent of a dual-hub satellite with the failover
 * group of {@link FailoverIT} while hub-a is crashed and the traffic moves to hub-b; then every
 * panel and rule that reads a {@code tunnelwatch_failover_} series must return data, and the
 * backup alert's rule must see the group on its backup.
 */
class FailoverDashboardIT extends DualHubScenario {

  @TempDir Path dir;

  private LabPrometheus prometheus;

  @AfterEach
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void everyFailoverPanelAndRuleReturnsDataWhileTheGroupIsOnItsBackup() throws Exception {
    LabPrometheus.require();
    upWatching("dual-hub", "no");
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", FailoverIT.config(lab, "")));
    awaitState(agent, "via-a", "up", BOUND);
    awaitState(agent, "via-b", "up", BOUND);
    long start = System.currentTimeMillis() / 1000;
    prometheus = LabPrometheus.start(lab, dir, AgentProcess.PORT);

    Instant faultAt = Instant.now();
    HubFault.CRASH.inflict(lab, "hub");
    await("lan traffic through hub-b").atMost(BOUND).pollInterval(Duration.ofMillis(500))
        .until(() -> traffic.backAfter(faultAt).isPresent() && paths.returnPath().equals("b"));
    Thread.sleep(5_000); // some scrapes on the backup
    long end = System.currentTimeMillis() / 1000;

    LabPrometheus.Checked checked = prometheus.checkExpressions(PrometheusLabIT.FAILOVER, AgentProcess.PORT, start, end);
    System.out.println("FailoverDashboardIT: " + checked.count() + " expressions evaluated, over " + (end - start) + " s of scrapes");
    assertThat(checked.problems()).as("expressions checked: %d", checked.count()).isEmpty();
    assertThat(checked.count()).as("failover panels (both dashboards, both gateways) and the rule's selectors").isGreaterThanOrEqualTo(8);
    assertThat(LabPrometheus.result(prometheus.query("tunnelwatch_failover_active{group=\"" + FailoverIT.GROUP + "\", tunnel=\"via-b\"} == 1")))
        .as("Prometheus sees the group on via-b").isNotEmpty();
  }
}
