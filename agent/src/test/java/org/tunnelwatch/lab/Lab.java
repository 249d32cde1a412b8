package org.tunnelwatch.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A strongSwan lab (real charon in network namespaces), driven through {@code lab/tw-lab}: by
 * default a satellite and a hub, or one of tw-lab's topologies ({@link #up(String...)}). Each lab
 * has a fresh unique name, so parallel runs and leftovers never collide; {@link #close()} tears
 * everything down and is safe to call on any failure path.
 */
final class Lab implements AutoCloseable {

  static final Path REPO = Path.of(System.getProperty("tunnelwatch.repo", "..")).toAbsolutePath().normalize();
  private static final Path TW_LAB = REPO.resolve("lab/tw-lab");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  final String name;
  final Map<String, String> env;

  private Lab(String name, Map<String, String> env) {
    this.name = name;
    this.env = env;
  }

  /** Brings a lab up with the tunnel established, or fails having left nothing behind. */
  static Lab up() {
    return up(new String[0]);
  }

  /** A lab with {@code tw-lab up NAME OPTIONS...}, e.g. {@code "--topology", "two-subnets"}. */
  static Lab up(String... options) {
    String name = twLab("new-name").strip();
    try {
      List<String> args = new ArrayList<>(List.of("up", name));
      args.addAll(List.of(options));
      twLab(args.toArray(String[]::new));
      return new Lab(name, parseEnv(twLab("env", name)));
    } catch (RuntimeException e) {
      runQuietly(List.of(TW_LAB.toString(), "down", name));
      throw e;
    }
  }

  String satNamespace() {
    return env.get("TW_SAT_NS");
  }

  Path dir() {
    return Path.of(env.get("TW_LAB_DIR"));
  }

  void fault(String... kindAndArgs) {
    List<String> args = new ArrayList<>(List.of("fault", name));
    args.addAll(List.of(kindAndArgs));
    twLab(args.toArray(String[]::new));
  }

  void heal() {
    twLab("heal", name);
  }

  /** Removes one kind of fault only (cut, dataplane, oneway, loss, uplink, ...). */
  void heal(String kind) {
    twLab("heal", name, kind);
  }

  void gateway(String verb, String gateway) {
    twLab(verb, name, gateway);
  }

  /** Whether a ping from the satellite's LAN address to the hub's LAN address gets through now. */
  boolean trafficFlows() {
    return run(List.of("ip", "netns", "exec", satNamespace(), "ping", "-n", "-q", "-c", "1", "-W", "1", "-I",
        env.get("TW_SAT_LAN"), env.get("TW_HUB_LAN"))).exitCode == 0;
  }

  /** Whether one ping from {@code from} on satellite {@code gateway} to {@code to} is answered. */
  boolean trafficFlows(String gateway, String to, String from) {
    return run(List.of(TW_LAB.toString(), "traffic", name, gateway, to, from)).exitCode == 0;
  }

  /** {@code swanctl ARGS} against one gateway's charon; its output, plugin noise included. */
  String swanctl(String gateway, String... args) {
    List<String> argv = new ArrayList<>(List.of("swanctl", name, gateway));
    argv.addAll(List.of(args));
    return twLab(argv.toArray(String[]::new));
  }

  /** The strongswan.conf that a gateway's charon reads (sat, sat2, ..., hub). */
  Path strongswanConf(String gateway) {
    return dir().resolve(gateway).resolve("strongswan.conf");
  }

  /** The namespace of a gateway: sat, sat2, ..., hub. */
  String namespace(String gateway) {
    return name + "-" + gateway;
  }

  /** An HTTP GET from inside the satellite namespace, where the agent listens. */
  String httpGet(String url) {
    return httpGet(satNamespace(), url);
  }

  String httpGet(String namespace, String url) {
    Result result = run(List.of("ip", "netns", "exec", namespace, "curl", "-s", "--max-time", "3", url));
    return result.exitCode == 0 ? result.output : "";
  }

  @Override
  public void close() {
    runQuietly(List.of(TW_LAB.toString(), "down", name));
  }

  /** A command's exit code and merged output. */
  record Result(int exitCode, String output) {}

  static String twLab(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(TW_LAB.toString());
    argv.addAll(List.of(args));
    Result result = run(argv);
    if (result.exitCode != 0) {
      throw new IllegalStateException("tw-lab " + String.join(" ", args) + " failed (" + result.exitCode + "):\n" + result.output);
    }
    return result.output;
  }

  static Result run(List<String> argv) {
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
      byte[] out;
      try (var in = process.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + argv);
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  private static void runQuietly(List<String> argv) {
    run(argv);
  }

  private static Map<String, String> parseEnv(String text) {
    Map<String, String> env = new HashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip().replaceFirst("^export\\s+", "");
      int eq = l.indexOf('=');
      if (eq > 0) {
        env.put(l.substring(0, eq), l.substring(eq + 1).replaceAll("^['\"]|['\"]$", ""));
      }
    }
    return env;
  }
}
