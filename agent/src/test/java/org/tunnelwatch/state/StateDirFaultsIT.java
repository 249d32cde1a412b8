package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.agent.AgentRuns;
import org.tunnelwatch.probe.TestNamespace;

/**
 * The packaged agent with real state-directory faults and real restarts. The agent runs in a
 * network namespace of the test's own, where its one tunnel's target (198.51.100.2 on a bridge
 * with nobody behind it) never answers, so the tunnel is down and the ladder climbs; the ladder's
 * commands are a fake {@code swanctl} that lists no SA and succeeds at everything (the real charon
 * is in the lab tests), so every action shows in the agent's log. The faults: a read-only bind
 * mount and a tiny full tmpfs over the state directory, each in a private mount namespace ({@code
 * unshare --mount}) around the agent process only; and the agent killed and started again and
 * again while the tunnel is down.
 */
class StateDirFaultsIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir Path dir;
  private Path state;
  private TestNamespace namespace;
  private AgentRuns agents;

  @BeforeEach
  void setUp() throws IOException {
    Prerequisites.require(missing());
    namespace = new TestNamespace();
    agents = new AgentRuns(dir);
    state = dir.resolve("state");
    Files.createDirectories(state);
    Path swanctl = dir.resolve("fake-swanctl");
    Files.writeString(swanctl, """
        #!/bin/sh
        # Lists no SA; every other request succeeds.
        case "$*" in *--list-sas*) exit 0 ;; esac
        exit 0
        """);
    Files.setPosixFilePermissions(swanctl, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!Prerequisites.isRoot()) {
      missing.add("root (network and mount namespaces)");
    }
    for (String tool : List.of("unshare", "nsenter", "mount", "curl")) {
      if (!onPath(tool)) {
        missing.add(tool + " (util-linux, mount, curl)");
      }
    }
    return missing;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (agents != null) {
        agents.close();
      }
    } finally {
      if (namespace != null) {
        namespace.close();
      }
    }
  }

  private String config(int maxActionsPerHour) {
    return config(maxActionsPerHour, "2s");
  }

  private String config(int maxActionsPerHour, String settle) {
    return """
        listen: "127.0.0.1:9814"
        state-dir: %s
        backend: { type: swanctl, swanctl: %s, restart-service: "true", timeout: 5s }
        defaults:
          interval: 1s
          count: 1
          timeout: 200ms
          down-after: 2
          up-after: 2
          settle: %s
          max-actions-per-hour: %d
          ladder: [reinitiate, restart-ike, restart-service]
        tunnels:
          - { name: storm, child: net, source: 198.51.100.1, targets: [198.51.100.2] }
        """
        .formatted(state, dir.resolve("fake-swanctl"), settle, maxActionsPerHour);
  }

  /** Starts the agent in the namespace; {@code mountSetup} runs first in its own mount namespace. */
  private Process start(int maxActionsPerHour, String mountSetup) throws IOException {
    return start(config(maxActionsPerHour), mountSetup);
  }

  private Process start(String configText, String mountSetup) throws IOException {
    Path config = dir.resolve("agent.yml");
    Files.writeString(config, configText);
    String java = "exec java -jar '" + JAR + "' run --config '" + config + "'";
    return agents.start(List.of(
        "ip", "netns", "exec", namespace.name, "unshare", "--mount", "--propagation", "private",
        "sh", "-c", mountSetup.isEmpty() ? java : mountSetup + " && " + java));
  }

  private String log(Process p) throws IOException {
    return agents.log(p);
  }

  private static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  /** Runs {@code command} in the agent's own mount namespace (nsenter by its pid). */
  private static void inMountsOf(Process p, String command) throws Exception {
    Process q = new ProcessBuilder("nsenter", "-t", Long.toString(p.pid()), "-m", "sh", "-c", command).inheritIO().start();
    assertThat(q.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).as(command).isZero();
  }

  private String scrape() {
    return get("/metrics");
  }

  private String get(String path) {
    return namespace.httpGet("http://127.0.0.1:9814" + path);
  }

  private double gauge(String name) {
    return scrape().lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst().orElse(Double.NaN);
  }

  @Test
  void anAgentRestartedAgainAndAgainWhileTheTunnelIsDownKeepsToTheHourlyLimit() throws Exception {
    Files.writeString(state.resolve(HistoryFile.NAME), "{\"version\": 1, \"tunnels\": {\"sto"); // a damaged file from a crash
    int restarts = 6;
    int limit = 3;
    long acted = 0;
    long skipped = 0;
    for (int i = 0; i < restarts; i++) {
      Process agent = start(limit, "");
      await("run " + (i + 1) + " decided").atMost(WAIT).pollInterval(Duration.ofMillis(200))
          .until(() -> !agent.isAlive() || count(log(agent), "tunnel=storm action=") > 0);
      assertThat(agent.isAlive()).as("run " + (i + 1) + " alive").isTrue();
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // a crash: no clean stop
      String text = log(agent);
      acted += count(text, "result=success");
      skipped += count(text, "limit of " + limit + " actions per hour reached");
      // Past the settle time, so that only the hourly limit can hold the next run back.
      Thread.sleep(2500);
    }
    assertThat(acted).as("actions in %d runs of the agent", restarts).isEqualTo(limit);
    assertThat(skipped).as("runs held back by the persisted limit").isEqualTo(restarts - limit);
    String first = log(agents.first());
    assertThat(count(first, "is damaged: not JSON")).isEqualTo(1);
    assertThat(state.resolve(HistoryFile.NAME + ".corrupt")).exists();
    assertThat(Files.readString(state.resolve(HistoryFile.NAME))).contains("\"storm\"").contains("\"actions\"");
  }

  @Test
  void anAgentStartedAgainWithinTheSettleTimeWaitsForTheRestOfIt() throws Exception {
    Process first = start(config(10, "30s"), "");
    await("the first run acted").atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> !first.isAlive() || count(log(first), "result=success") > 0);
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    Process second = start(config(10, "30s"), "");
    await("the second run judged the tunnel down").atMost(WAIT).pollInterval(Duration.ofMillis(300))
        .until(() -> !second.isAlive() || get("/api/v1/tunnels").contains("settling after the last action"));
    Thread.sleep(3000); // rounds of a down tunnel, each of which would act without the history
    assertThat(second.isAlive()).isTrue();
    assertThat(count(log(second), "tunnel=storm action=")).as("actions by the second run").isZero();
    assertThat(get("/api/v1/tunnels")).contains("settling after the last action");
  }

  @Test
  void aReadOnlyStateDirectoryIsReportedOnceAndTheHistoryLivesInMemoryUntilItIsWritableAgain() throws Exception {
    Process agent = start(2, "mount --bind '" + state + "' '" + state + "' && mount -o remount,bind,ro '" + state + "'");
    await("the agent held back by the limit kept in memory").atMost(WAIT).pollInterval(Duration.ofMillis(300))
        .until(() -> !agent.isAlive() || count(log(agent), "limit of 2 actions per hour reached") > 0);
    assertThat(agent.isAlive()).isTrue();
    String text = log(agent);
    assertThat(count(text, "result=success")).isEqualTo(2);
    assertThat(count(text, "cannot save the remediation history in " + state)).as("one warning, not one per action").isEqualTo(1);
    assertThat(text).contains("Read-only file system");
    assertThat(gauge("tunnelwatch_state_writable")).isEqualTo(0.0);
    assertThat(state.resolve(HistoryFile.NAME)).doesNotExist();

    inMountsOf(agent, "mount -o remount,bind,rw '" + state + "'");
    await("saved again").atMost(WAIT).until(() -> count(log(agent), "the remediation history is saved in " + state + " again") == 1);
    assertThat(gauge("tunnelwatch_state_writable")).isEqualTo(1.0);
    assertThat(Files.readString(state.resolve(HistoryFile.NAME))).contains("\"storm\"");
  }

  @Test
  void aFullStateDirectoryIsReportedOnceAndTheAgentKeepsRepairing() throws Exception {
    String fill = "mount -t tmpfs -o size=64k tmpfs '" + state + "' && (dd if=/dev/zero of='" + state + "/filler' bs=4k count=64 2>/dev/null || true)";
    Process agent = start(100, fill);
    await("three actions taken on a full disk").atMost(WAIT).pollInterval(Duration.ofMillis(300))
        .until(() -> !agent.isAlive() || count(log(agent), "result=success") >= 3);
    assertThat(agent.isAlive()).isTrue();
    String text = log(agent);
    assertThat(count(text, "cannot save the remediation history in " + state)).isEqualTo(1);
    assertThat(text).contains("No space left on device");
    assertThat(gauge("tunnelwatch_state_writable")).isEqualTo(0.0);

    inMountsOf(agent, "rm '" + state + "/filler'");
    await("saved again").atMost(WAIT).until(() -> count(log(agent), "the remediation history is saved in " + state + " again") == 1);
    assertThat(gauge("tunnelwatch_state_writable")).isEqualTo(1.0);
    // The tmpfs is private to the agent's mount namespace: nothing of it shows here.
    assertThat(state.resolve(HistoryFile.NAME)).doesNotExist();
  }
}
