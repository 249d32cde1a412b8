package org.tunnelwatch.prometheus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tunnelwatch.Prerequisites;

/**
 * The Prometheus tools from Debian ({@code prometheus}: prometheus and promtool;
 * {@code prometheus-alertmanager}: alertmanager and amtool; {@code jsonnet}), and the repository's
 * folders the tests check with them.
 */
final class Tools {

  static final Path REPO = Path.of(System.getProperty("tunnelwatch.repo", "..")).toAbsolutePath().normalize();
  static final Path PROMETHEUS_DIR = REPO.resolve("prometheus");
  static final Path GRAFANA_DIR = REPO.resolve("grafana");
  static final Path RUNBOOK = REPO.resolve("docs/runbook.md");
  static final Path MIXIN = PROMETHEUS_DIR.resolve("mixin");

  static final String PROMTOOL = "/usr/bin/promtool";
  static final String PROMETHEUS = "/usr/bin/prometheus";
  static final String ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
  static final String AMTOOL = "/usr/bin/amtool";
  static final String JSONNET = "/usr/bin/jsonnet";

  private Tools() {}

  /** Skips (fails under CI=true) unless the programs are installed. */
  static void require(String... programs) {
    List<String> missing = new ArrayList<>();
    for (String program : programs) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program + " (Debian package " + packageOf(program) + ")");
      }
    }
    Prerequisites.require(missing);
  }

  private static String packageOf(String program) {
    if (program.equals(JSONNET)) {
      return "jsonnet";
    }
    return program.equals(ALERTMANAGER) || program.equals(AMTOOL) ? "prometheus-alertmanager" : "prometheus";
  }

  /** A finished command: exit code and merged output. */
  record Result(int exitCode, String output) {}

  /** Runs a command with {@code stdin} as its input, killed after {@code timeout}. */
  static Result run(List<String> argv, Path dir, String stdin, Duration timeout) {
    try {
      Process process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
      try (var in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out;
      try (var output = process.getInputStream()) {
        out = output.readAllBytes();
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out after " + timeout + ": " + argv);
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, argv + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  static Result run(Path dir, String... argv) {
    return run(List.of(argv), dir, "", Duration.ofSeconds(60));
  }
}
