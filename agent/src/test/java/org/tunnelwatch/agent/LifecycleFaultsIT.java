package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.probe.TestNamespace;

/**
 * The packaged agent in a network namespace of the test's own, where its tunnel's target
 * (198.51.100.2, on a bridge with nobody behind it) never answers, against backends that
 * misbehave for real: a swanctl (and restart command) that never exits, with a child of its own;
 * a VICI socket that accepts and never answers; and a swanctl that records its calls and
 * succeeds, to see what the agent does when its probes cannot be sent and after a dry run. The
 * figures asserted are correctness bounds far above what a working agent needs (see the
 * comments), not benchmarks.
 */
class LifecycleFaultsIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private TestNamespace namespace;
  private Path calls;
  /** The pids of the children the hanging stand-ins start, to check that they were killed. */
  private Path pids;
  private AgentRuns agents;
  private ServerSocketChannel silentCharon;
  private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    Prerequisites.requireRoot("network namespaces, raw ICMP sockets");
    namespace = new TestNamespace();
    calls = dir.resolve("calls");
    pids = dir.resolve("pids");
    agents = new AgentRuns(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (agents != null) {
        agents.close();
      }
      if (silentCharon != null) {
        silentCharon.close();
        for (SocketChannel c : accepted) {
          c.close();
        }
      }
      for (ProcessHandle left : leftovers()) {
        left.destroyForcibly();
      }
    } finally {
      namespace.close();
    }
  }

  /** A stand-in for swanctl: records each call, then runs {@code body}. */
  private Path swanctl(String body) throws IOException {
    Path script = dir.resolve("swanctl");
    Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** Hangs with a child of its own, as a swanctl stuck on a dead socket would, until killed. */
  private String hangs() {
    return "sleep 987654 & echo $! >> '" + pids + "'; wait";
  }
  /** Lists no SA and succeeds at everything. */
  private static final String SUCCEEDS = "exit 0";

  private String config(String backend, String source, boolean dryRun, int maxActionsPerHour) {
    return """
        listen: "127.0.0.1:9814"
        state-dir: %s
        dry-run: %s
        backend: %s
        defaults:
          interval: 1s
          count: 1
          timeout: 200ms
          down-after: 3
          up-after: 2
          settle: 2s
          max-actions-per-hour: %d
          ladder: [reinitiate, restart-ike, restart-service]
        tunnels:
          - { name: t1, child: net, source: %s, targets: [198.51.100.2] }
        """
        .formatted(dir.resolve("state"), dryRun, backend, maxActionsPerHour, source);
  }

  /** The swanctl backend at the stand-in, with the shipped 30 s timeout. */
  private String swanctlBackend(Path swanctl, String restart) {
    return "{ type: swanctl, swanctl: " + swanctl + ", restart-service: \"" + restart + "\", timeout: 30s }";
  }

  private Process start(String configText) throws IOException {
    Path config = dir.resolve("agent.yml");
    Files.writeString(config, configText);
    Process p = agents.start(List.of("ip", "netns", "exec", namespace.name, "java", "-jar", JAR.toString(), "run", "--config", config.toString()));
    await("the agent serving").atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> !p.isAlive() || get("/metrics").contains("tunnelwatch_build"));
    assertThat(p.isAlive()).as("the agent started").isTrue();
    return p;
  }

  private String log(Process p) throws IOException {
    return agents.log(p);
  }

  private String calls() throws IOException {
    return Files.exists(calls) ? Files.readString(calls) : "";
  }

  private String get(String path) {
    return namespace.httpGet("http://127.0.0.1:9814" + path);
  }

  /** Echoes sent to the target so far: one per round (count: 1). */
  private long rounds() {
    return get("/metrics").lines()
        .filter(l -> l.startsWith("tunnelwatch_probes_total{") && l.contains("tunnel=\"t1\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The stand-ins' children still running. */
  private List<ProcessHandle> leftovers() throws IOException {
    if (!Files.exists(pids)) {
      return List.of();
    }
    return Files.readAllLines(pids).stream()
        .filter(l -> !l.isBlank())
        .map(l -> ProcessHandle.of(Long.parseLong(l.strip())))
        .flatMap(java.util.Optional::stream)
        .filter(LifecycleFaultsIT::running)
        .toList();
  }

  /** Alive and not a zombie waiting for init to reap it, from /proc/PID/stat. */
  private static boolean running(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Probing goes on while the backend hangs, the dead target is called down in seconds, and
   * SIGTERM ends the agent well inside systemd's stop timeout with every stand-in killed.
   */
  private void probesOnAndStopsInTime(Process agent, boolean standInRuns) throws Exception {
    long started = System.nanoTime();
    await("the tunnel called down").atMost(WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> get("/api/v1/tunnels").contains("\"state\":\"down\""));
    Duration toDown = Duration.ofNanos(System.nanoTime() - started);
    System.out.println("start to down in the status API with the backend hung: " + toDown.toMillis() + " ms");
    // Three failed rounds at 1 s take about 3 s; a round held by the hung backend costs its 30 s.
    assertThat(toDown).as("time to down").isLessThan(Duration.ofSeconds(15));

    long before = rounds();
    Thread.sleep(10_000);
    long rounds = rounds() - before;
    System.out.println("rounds in 10 s with the backend hung: " + rounds);
    // About ten at 1 s intervals; a round that waited for the backend would make it one or none.
    assertThat(rounds).as("rounds in 10 s while the backend hangs").isGreaterThanOrEqualTo(5);

    await("an action under way").atMost(WAIT).until(() -> calls().contains("--initiate") || calls().contains("--terminate")
        || log(agent).contains("action=reinitiate"));
    long stopAt = System.nanoTime();
    agent.destroy(); // SIGTERM
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent exits after SIGTERM").isTrue();
    Duration toExit = Duration.ofNanos(System.nanoTime() - stopAt);
    System.out.println("SIGTERM to exit with the backend hung: " + toExit.toMillis() + " ms");
    assertThat(toExit).as("SIGTERM to exit").isLessThan(Duration.ofSeconds(15));
    if (standInRuns) {
      assertThat(Files.exists(pids)).as("a stand-in was started").isTrue();
    }
    // Killed by the agent before it exited; init may take a moment to reap them.
    await("the hung stand-ins' children gone").atMost(Duration.ofSeconds(5)).until(() -> leftovers().isEmpty());
  }

  @Test
  void aHangingSwanctlHoldsUpNeitherProbingNorTheStop() throws Exception {
    Path swanctl = swanctl(hangs());
    Process agent = start(config(swanctlBackend(swanctl, "echo restart >> " + calls + "; " + hangs()), "198.51.100.1", false, 6));
    probesOnAndStopsInTime(agent, true);
  }

  @Test
  void aViciSocketThatAcceptsAndNeverAnswersHoldsUpNeitherProbingNorTheStop() throws Exception {
    Path socket = dir.resolve("charon.vici");
    silentCharon = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    silentCharon.bind(UnixDomainSocketAddress.of(socket));
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          accepted.add(silentCharon.accept()); // and never a word
        }
      } catch (IOException e) {
        // closed at the end of the test
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    String backend = "{ type: vici, uri: \"unix://" + socket + "\", restart-service: \"echo restart >> " + calls + "; " + hangs()
        + "\", timeout: 30s }";
    Process agent = start(config(backend, "198.51.100.1", false, 6));
    probesOnAndStopsInTime(agent, false);
  }

  @Test
  void probesThatCannotBeSentNeverCallTheTunnelDownNorRepairIt() throws Exception {
    Path swanctl = swanctl(SUCCEEDS);
    // 203.0.113.77 is on no interface of the namespace: no echo can leave from it.
    Process agent = start(config(swanctlBackend(swanctl, "echo restart-service >> " + calls), "203.0.113.77", false, 6));
    await("probe errors reported").atMost(WAIT).until(() -> log(agent).contains("tunnel=t1 probe-error"));
    Thread.sleep(8_000); // down-after is 3 rounds of 1 s: time for the ladder to have climbed, had it acted
    String tunnels = get("/api/v1/tunnels");
    assertThat(tunnels).contains("\"state\":\"unknown\"").contains("probe error");
    assertThat(calls()).doesNotContain("--initiate").doesNotContain("--terminate").doesNotContain("restart-service");
    assertThat(log(agent)).doesNotContain("action=").doesNotContain("-> down");
    String metrics = get("/metrics");
    assertThat(metrics).containsPattern("tunnelwatch_probes_total\\{result=\"error\",target=\"198.51.100.2\",tunnel=\"t1\"} [1-9]");
    // Nothing got through: the figures say so, as tunnelwatch probe does, rather than 0 and 0.
    assertThat(metrics).contains("tunnelwatch_tunnel_loss_ratio{tunnel=\"t1\"} 1.0").doesNotContain("tunnelwatch_tunnel_rtt_seconds{");
    assertThat(tunnels).contains("\"loss_ratio\":1.0").contains("\"rtt_seconds\":null");
  }

  @Test
  void aDryRunSpendsNoneOfTheLiveAgentsHourlyLimit() throws Exception {
    Path swanctl = swanctl(SUCCEEDS);
    String restart = "echo restart-service >> " + calls;
    Process dry = start(config(swanctlBackend(swanctl, restart), "198.51.100.1", true, 1));
    await("the dry run reached its hourly limit").atMost(WAIT)
        .until(() -> log(dry).contains("limit of 1 actions per hour reached"));
    dry.destroy();
    assertThat(dry.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(calls()).doesNotContain("--initiate");

    Process live = start(config(swanctlBackend(swanctl, restart), "198.51.100.1", false, 1));
    // The action's log line follows the daemon's answer: wait for it, not for the call alone.
    await("the live agent repairs").atMost(WAIT)
        .until(() -> log(live).contains("tunnel=t1 action=reinitiate") || log(live).contains("limit of 1"));
    assertThat(calls()).contains("--initiate --ike t1 --child net");
    assertThat(log(live)).contains("tunnel=t1 action=reinitiate result=success").doesNotContain("limit of 1 actions per hour reached");
  }

  @Test
  void aReloadFromDryRunToLiveActsAtOnce() throws Exception {
    Path swanctl = swanctl(SUCCEEDS);
    String restart = "echo restart-service >> " + calls;
    Process agent = start(config(swanctlBackend(swanctl, restart), "198.51.100.1", true, 1));
    await("the dry run reached its hourly limit").atMost(WAIT)
        .until(() -> log(agent).contains("limit of 1 actions per hour reached"));
    Files.writeString(dir.resolve("agent.yml"), config(swanctlBackend(swanctl, restart), "198.51.100.1", false, 1));
    new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor(10, TimeUnit.SECONDS);
    await("the live configuration repairs").atMost(WAIT).until(() -> calls().contains("--initiate"));
    assertThat(calls()).contains("--initiate --ike t1 --child net");
  }
}
