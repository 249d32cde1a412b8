package org.tunnelwatch.lab;

import org.tunnelwatch.ChildProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The packaged agent ({@code java -jar tunnelwatch.jar run}) running where it would on a real
 * gateway: inside a satellite's network namespace (the first satellite's, unless {@link #startOn}
 * names another). Its log goes to a file in the lab directory
 * and is printed when a test fails.
 */
final class AgentProcess implements AutoCloseable {

  static final int PORT = 9814;
  private static final Path JAR =
      Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();

  private final Lab lab;
  private final String namespace;
  private final Process process;
  final Path log;

  private AgentProcess(Lab lab, String namespace, Process process, Path log) {
    this.lab = lab;
    this.namespace = namespace;
    this.process = process;
    this.log = log;
  }

  /** Writes the lab's agent config (with {@code extra} tunnel defaults) and starts the agent. */
  static AgentProcess start(Lab lab, String defaults) throws IOException {
    return start(lab, defaults, "");
  }

  /** As {@link #start(Lab, String)}, with the given {@code backend.type}. */
  static AgentProcess startWithBackend(Lab lab, String backendType, String defaults) throws IOException {
    Path config = lab.dir().resolve("agent.yml");
    Files.writeString(config, config(lab, defaults, backendType));
    return launch(lab, config);
  }

  /** As {@link #start(Lab, String)}, with {@code sections} (top-level YAML) added to the config. */
  static AgentProcess start(Lab lab, String defaults, String sections) throws IOException {
    Path config = lab.dir().resolve("agent.yml");
    Files.writeString(config, config(lab, defaults) + sections);
    return launch(lab, config);
  }

  /** Starts the agent with {@code configText} in the namespace of satellite {@code gateway}. */
  static AgentProcess startOn(Lab lab, String gateway, String configText) throws IOException {
    Path config = lab.dir().resolve("agent-" + gateway + ".yml");
    Files.writeString(config, configText);
    return launch(lab, gateway, config, lab.dir().resolve("agent-" + gateway + ".log"));
  }

  private static AgentProcess launch(Lab lab, Path config) throws IOException {
    return launch(lab, "sat", config, lab.dir().resolve("agent.log"));
  }

  private static AgentProcess launch(Lab lab, String gateway, Path config, Path log) throws IOException {
    String namespace = lab.namespace(gateway);
    Process process =
        new ProcessBuilder(
                List.of("ip", "netns", "exec", namespace, "java", "-jar", JAR.toString(), "run", "--config", config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    AgentProcess agent = new AgentProcess(lab, namespace, process, log);
    Awaitility.await("the agent serving /metrics")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> !process.isAlive() || !agent.scrape().isEmpty());
    if (!process.isAlive()) {
      throw new IllegalStateException("the agent exited at start:\n" + agent.logText());
    }
    return agent;
  }

  static String config(Lab lab, String defaults) {
    return config(lab, defaults, "swanctl");
  }

  static String config(Lab lab, String defaults, String backendType) {
    return """
        listen: "127.0.0.1:%d"
        state-dir: %s/state
        backend:
          type: %s
          uri: %s
          restart-service: "%s restart %s sat"
          timeout: 10s
          strongswan-conf: %s
        uplinks:
          wan: { interface: %s }
        defaults:
        %s
        tunnels:
        %s
        """
        .formatted(
            PORT, lab.dir(), backendType, lab.env.get("TW_SAT_VICI"), Lab.REPO.resolve("lab/tw-lab"), lab.name,
            lab.strongswanConf("sat"), lab.env.get("TW_SAT_UPLINK"), defaults(defaults).indent(2).stripTrailing(),
            tunnel(lab.env.get("TW_IKE"), lab.env.get("TW_IKE"), lab.env.get("TW_CHILD"), lab.env.get("TW_SAT_LAN"), lab.env.get("TW_HUB_LAN"))
                .indent(2).stripTrailing());
  }

  /**
   * A config for the agent on satellite {@code gateway}: the lab's socket and restart command,
   * the uplink, the lab's tunnel defaults overridden by {@code defaults}, {@code backend} lines
   * added to the backend section (a {@code timeout} there replaces the 10s, a {@code
   * strongswan-conf} the gateway's own), and the given {@code
   * tunnels} list (see {@link #tunnel}).
   */
  static String config(Lab lab, String gateway, String backend, String defaults, String tunnels) {
    String backendLines = backend.contains("timeout:") ? backend : "timeout: 10s\n" + backend;
    if (!backendLines.contains("strongswan-conf:")) {
      // The file the gateway's charon reads, so that the agent knows how it reauthenticates.
      backendLines = backendLines + (backendLines.endsWith("\n") ? "" : "\n") + "strongswan-conf: " + lab.strongswanConf(gateway) + "\n";
    }
    return """
        listen: "127.0.0.1:%d"
        state-dir: %s/state-%s
        backend:
          type: swanctl
          uri: unix://%s/%s.vici
          restart-service: "%s restart %s %s"
        %s
        uplinks:
          wan: { interface: wan0 }
        defaults:
        %s
        tunnels:
        %s
        """
        .formatted(
            PORT, lab.dir(), gateway, lab.dir(), gateway, Lab.REPO.resolve("lab/tw-lab"), lab.name, gateway,
            backendLines.indent(2).stripTrailing(), defaults(defaults).indent(2).stripTrailing(),
            tunnels.indent(2).stripTrailing());
  }

  /** One entry of a config's {@code tunnels} list. */
  static String tunnel(String name, String ike, String child, String source, String target) {
    return """
        - name: %s
          ike: %s
          child: %s
          source: %s
          targets: [%s]
          uplink: wan
        """
        .formatted(name, ike, child, source, target);
  }

  /** The lab's tunnel defaults, with any key that {@code extra} sets taken from {@code extra}. */
  private static String defaults(String extra) {
    java.util.Map<String, String> lines = new java.util.LinkedHashMap<>();
    for (String line : (BASE_DEFAULTS + "\n" + extra).split("\n")) {
      if (!line.isBlank()) {
        lines.put(line.strip().split(":", 2)[0], line.strip());
      }
    }
    return String.join("\n", lines.values());
  }

  private static final String BASE_DEFAULTS = """
      interval: 1s
      count: 3
      timeout: 500ms
      down-after: 3
      up-after: 2
      settle: 5s
      """;

  Scrape scrape() {
    return new Scrape(lab.httpGet(namespace, "http://127.0.0.1:" + PORT + "/metrics"));
  }

  String tunnelsJson() {
    return lab.httpGet(namespace, "http://127.0.0.1:" + PORT + "/api/v1/tunnels");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    ChildProcesses.stop(process);
  }
}
