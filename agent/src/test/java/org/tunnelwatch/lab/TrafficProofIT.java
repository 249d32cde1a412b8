package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code traffic-counts-as-echo} against real charon: with steady traffic through the tunnel the
 * agent stops sending echoes, and a dead data plane (all ESP dropped, IKE alive) is still called
 * down within the bound the echo-only agent meets ({@link #DOWN_BOUND}). The figures it prints go
 * to docs/benchmarks.md. The first test also runs a hook through the whole agent.
 */
class TrafficProofIT extends TrafficScenario {

  private static final String TUNNEL = "sg1-sgcentral";
  private static final Duration MEASURED = Duration.ofSeconds(20);

  private static double echoesSent(AgentProcess agent) {
    return agent.scrape().sum("tunnelwatch_probes_total", "tunnel", TUNNEL);
  }

  private static double echoesSaved(AgentProcess agent) {
    return agent.scrape().sum("tunnelwatch_echoes_saved_total", "tunnel", TUNNEL);
  }

  /** The time from a dead data plane to the agent's "down". */
  private Duration timeToDown(AgentProcess agent) {
    Instant faultAt = Instant.now();
    lab.fault("dataplane");
    awaitState(agent, TUNNEL, "down", DOWN_BOUND);
    return Duration.between(faultAt, Instant.now());
  }

  /**
   * Also the hooks, end to end: a script the agent runs on every event appends the event's
   * variables to a file.
   */
  @Test
  void withSteadyTrafficNoEchoIsSentAndADeadDataPlaneIsStillFoundInTime() throws Exception {
    lab = Lab.up();
    Path events = lab.dir().resolve("hook-events.txt");
    Path hook = lab.dir().resolve("hook.sh");
    Files.writeString(
        hook,
        "#!/bin/sh\necho \"$TUNNELWATCH_EVENT $TUNNELWATCH_TUNNEL ${TUNNELWATCH_STATE:-} ${TUNNELWATCH_ACTION:-}"
            + " ${TUNNELWATCH_RESULT:-}\" >> " + events + "\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
    String hooks =
        """
        hooks:
          - name: record
            command: [%s]
            on: [state, action-before, action-after]
        """.formatted(hook);
    AgentProcess agent = started(AgentProcess.start(lab, "traffic-counts-as-echo: true", hooks));
    awaitState(agent, TUNNEL, "up", BOUND);
    watch("lan traffic", "sat", lab.env.get("TW_SAT_LAN")); // five pings a second through the tunnel

    await("the first round proven by traffic").atMost(BOUND).until(() -> echoesSaved(agent) > 0);
    double sentBefore = echoesSent(agent);
    double savedBefore = echoesSaved(agent);
    Thread.sleep(MEASURED.toMillis());
    double sent = echoesSent(agent) - sentBefore;
    double saved = echoesSaved(agent) - savedBefore;
    System.out.printf("traffic-counts-as-echo over %ss of steady traffic: %.0f echoes sent, %.0f saved%n", MEASURED.toSeconds(), sent, saved);
    // One round a second of three echoes: about 60 in 20 s, nearly all of them saved.
    assertThat(saved).isGreaterThanOrEqualTo(45);
    assertThat(sent).isLessThanOrEqualTo(saved / 4);

    Duration down = timeToDown(agent);
    System.out.printf("traffic-counts-as-echo: dead data plane reported down after %d ms%n", down.toMillis());
    assertThat(inState(agent, TUNNEL, "down")).isTrue();

    await("the hook heard the change to down and the first action before and after").atMost(BOUND)
        .until(() -> Files.exists(events) && Files.readString(events).contains("action-after " + TUNNEL + "  reinitiate"));
    List<String> heard = Files.readAllLines(events);
    assertThat(heard).startsWith("state " + TUNNEL + " up  ");
    assertThat(heard).containsSubsequence("state " + TUNNEL + " down  ", "action-before " + TUNNEL + "  reinitiate ");
    assertThat(agent.scrape().sum("tunnelwatch_hook_runs_total", "hook", "record", "result", "ok")).isGreaterThanOrEqualTo(heard.size());
  }

  @Test
  void withoutItTheSameTrafficAndFaultAsAReference() throws Exception {
    lab = Lab.up();
    AgentProcess agent = started(AgentProcess.start(lab, ""));
    awaitState(agent, TUNNEL, "up", BOUND);
    watch("lan traffic", "sat", lab.env.get("TW_SAT_LAN"));

    double sentBefore = echoesSent(agent);
    Thread.sleep(MEASURED.toMillis());
    double sent = echoesSent(agent) - sentBefore;
    System.out.printf("echoes only over %ss of steady traffic: %.0f echoes sent, %.0f saved%n", MEASURED.toSeconds(), sent, echoesSaved(agent));
    assertThat(echoesSaved(agent)).isZero();
    assertThat(sent).isGreaterThanOrEqualTo(45);

    Duration down = timeToDown(agent);
    System.out.printf("echoes only: dead data plane reported down after %d ms%n", down.toMillis());
  }
}
