package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running unit as systemd runs it: its sandbox, its reloads and its refusal of an invalid file, and its log
 * lines as the journal stores them (read back with {@code journalctl -o json}).
 */
class SystemdSandboxIT extends MachineScenario {

  private static final Pattern SCORE = Pattern.compile("Overall exposure level for tunnelwatch.service: (\\d+\\.\\d+)");
  private static final Pattern LEVEL_FIRST = Pattern.compile("^(ERROR|WARN |INFO |DEBUG|TRACE) \\S+: .*", Pattern.DOTALL);

  @BeforeEach
  void installAndWatchTheTunnel() {
    installAndWatch(config("vici", "", ""));
  }

  @Test
  void theSandboxHoldsForTheRunningAgent() throws Exception {
    long agent = machine.hostPid(UNIT);
    // The agent's own mount namespace and root: what ProtectSystem=strict and ReadWritePaths
    // made of the machine's file system.
    Lab.Result outside = inTheAgentsView(agent, "touch", "/etc/tunnelwatch/written-by-the-agent");
    assertThat(outside.exitCode()).isNotZero();
    assertThat(outside.output()).contains("Read-only file system");
    assertThat(inTheAgentsView(agent, "touch", "/usr/share/tunnelwatch/x").output()).contains("Read-only file system");
    Lab.Result state = inTheAgentsView(agent, "touch", "/var/lib/tunnelwatch/written-by-the-agent");
    assertThat(state.exitCode()).as(state.output()).isZero();
    assertThat(Files.exists(machine.file("/var/lib/tunnelwatch/written-by-the-agent"))).isTrue();

    List<String> status = Files.readAllLines(Path.of("/proc/" + agent + "/status"));
    assertThat(status).contains("CapEff:\t0000000000002000", "CapBnd:\t0000000000002000", "CapPrm:\t0000000000002000", "NoNewPrivs:\t1");

    String online = machine.ok("systemd-analyze", "security", "--no-pager", UNIT);
    String offline = machine.ok("systemd-analyze", "security", "--offline=true", "--no-pager", "/lib/systemd/system/" + UNIT);
    System.out.println("systemd-analyze security: online " + score(online) + ", offline " + score(offline));
    assertThat(score(online)).isEqualTo(score(offline));
  }

  @Test
  void aReloadAppliesAValidFileAndKeepsTheRunningConfigurationOnAnInvalidOne() {
    machine.write(CONFIG, config("vici", "", "").replace("name: " + TUNNEL, "name: renamed"));
    machine.ok("systemctl", "reload", UNIT);
    await("the renamed tunnel watched").atMost(BOUND)
        .until(() -> scrape().sum("tunnelwatch_tunnel_up", "tunnel", "renamed") == 1.0);
    assertThat(scrape().sum("tunnelwatch_config_last_reload_successful")).isEqualTo(1.0);

    machine.write(CONFIG, "tunnels: [ {name: broken, interval: 10ms} ]\n");
    machine.ok("systemctl", "reload", UNIT);
    await("the failed reload reported").atMost(BOUND).until(() -> scrape().sum("tunnelwatch_config_last_reload_successful") == 0.0);
    assertThat(scrape().sum("tunnelwatch_tunnel_up", "tunnel", "renamed")).as("the running configuration stays").isEqualTo(1.0);
    assertThat(machine.show(UNIT, "ActiveState")).isEqualTo("active");
    assertThat(machine.journal("-u", UNIT, "-p", "err")).anyMatch(e -> e.path("MESSAGE").asText().contains("reload of " + CONFIG + " failed"));
  }

  /** The unit has no check before the start (one JVM): run refuses the file as check-config does. */
  @Test
  void anInvalidFileFailsTheStartWithItsProblemsAndExitStatusTwo() {
    machine.write(CONFIG, "tunnels: [ {name: broken, interval: 10ms} ]\n");

    assertThat(machine.exec("systemctl", "restart", UNIT).exitCode()).isNotZero();

    assertThat(machine.show(UNIT, "MainPID")).isEqualTo("0");
    assertThat(machine.show(UNIT, "ExecMainStatus")).as("run's status for an invalid file, as check-config's").isEqualTo("2");
    // The problems as FILE:LINE:COL: path: message, stored as errors: journalctl -p err shows them.
    assertThat(machine.journal("-u", UNIT, "-p", "err"))
        .anyMatch(e -> e.path("MESSAGE").asText().equals(CONFIG + ":1:37: tunnels[0].interval: must be at least 100ms, found 10ms"));

    // Restart=on-failure tries again; with the file mended the next attempt starts the agent.
    machine.write(CONFIG, config("vici", "", ""));
    awaitStatus("1/1 tunnels up");
  }

  @Test
  void underSystemdEachLineCarriesItsPriorityAndNoTimeOfItsOwnAndStoppingIsSaidTwice() {
    // A warning and an error of the agent's own: its uplink down and up, an invalid reload.
    machine.lab.fault("uplink-down");
    await("uplink down reported").atMost(BOUND).until(() -> scrape().sum("tunnelwatch_uplink_up", "uplink", "wan") == 0.0);
    machine.lab.fault("uplink-up");
    machine.write(CONFIG, "tunnels: [ {name: broken, interval: 10ms} ]\n");
    machine.ok("systemctl", "reload", UNIT);
    await("the failed reload reported").atMost(BOUND).until(() -> scrape().sum("tunnelwatch_config_last_reload_successful") == 0.0);
    machine.ok("systemctl", "stop", UNIT);

    List<JsonNode> agentLines = agentLines("-u", UNIT);
    assertThat(agentLines).isNotEmpty().allSatisfy(e -> assertThat(e.path("MESSAGE").asText()).matches(LEVEL_FIRST));
    assertThat(agentLines).allSatisfy(e -> assertThat(e.path("PRIORITY").asText()).isEqualTo(priority(e.path("MESSAGE").asText())));
    assertThat(agentLines).anyMatch(e -> e.path("PRIORITY").asText().equals("3"));
    assertThat(agentLines).anyMatch(e -> e.path("PRIORITY").asText().equals("4") && e.path("MESSAGE").asText().contains("uplink=wan down"));
    assertThat(agentLines).anyMatch(e -> e.path("PRIORITY").asText().equals("6") && e.path("MESSAGE").asText().contains("events: tunnel=" + TUNNEL));
    // journalctl -p warning: warnings and errors only.
    List<JsonNode> warnings = agentLines("-u", UNIT, "-p", "warning");
    assertThat(warnings).isNotEmpty().allMatch(e -> e.path("MESSAGE").asText().matches("^(WARN|ERROR).*"));
    List<String> messages = agentLines.stream().map(e -> e.path("MESSAGE").asText()).toList();
    // The last line says it stopped; the signal was said before it (a round still in flight may
    // report between the two).
    assertThat(messages.get(messages.size() - 1)).isEqualTo("INFO  RunCommand: stopped");
    assertThat(messages.lastIndexOf("INFO  RunCommand: signal received, shutting down"))
        .isBetween(0, messages.size() - 2);
  }

  @Test
  void theOperatorsFlagsInEtcDefaultGiveJsonLinesWithTheEventsFields() throws Exception {
    machine.write("/etc/default/tunnelwatch", "TUNNELWATCH_OPTS=\"--log.format=json --log.level=debug\"\n");
    machine.ok("systemctl", "restart", UNIT);
    awaitStatus("1/1 tunnels up");
    String invocation = machine.show(UNIT, "InvocationID");

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = agentLines("-u", UNIT, "_SYSTEMD_INVOCATION_ID=" + invocation);
    assertThat(lines).isNotEmpty();
    boolean sawUp = false;
    for (JsonNode entry : lines) {
      JsonNode line = mapper.readTree(entry.path("MESSAGE").asText());
      assertThat(line.has("time")).as("journald stamps the line").isFalse();
      assertThat(entry.path("PRIORITY").asText()).isEqualTo(priority(line.path("level").asText().toUpperCase()));
      if (line.path("state").asText().equals("up") && line.path("tunnel").asText().equals(TUNNEL)) {
        sawUp = true;
      }
    }
    assertThat(sawUp).as("the tunnel's state change with tunnel and state as fields").isTrue();
    assertThat(lines).anyMatch(e -> e.path("PRIORITY").asText().equals("7"));
  }

  private static Lab.Result inTheAgentsView(long agent, String... command) {
    List<String> argv = new java.util.ArrayList<>(List.of("nsenter", "-t", Long.toString(agent), "-m", "-r", "-w"));
    argv.addAll(List.of(command));
    return Lab.run(argv);
  }

  /** Lines the agent itself ({@code tunnelwatch run}) wrote, not those of systemd or of a command run by hand. */
  private List<JsonNode> agentLines(String... journalctlArgs) {
    return machine.journal(journalctlArgs).stream().filter(e -> e.path("_CMDLINE").asText().contains("tunnelwatch.jar run ")).toList();
  }

  private static String priority(String levelFirst) {
    if (levelFirst.startsWith("ERROR")) {
      return "3";
    }
    if (levelFirst.startsWith("WARN")) {
      return "4";
    }
    if (levelFirst.startsWith("INFO")) {
      return "6";
    }
    return "7";
  }

  private static String score(String analysis) {
    Matcher m = SCORE.matcher(analysis);
    assertThat(m.find()).as(analysis).isTrue();
    return m.group(1);
  }
}
