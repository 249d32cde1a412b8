package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.ChildProcesses;

/**
 * The heap warning of {@code check-config}: against the estimate, and in a child JVM started with
 * the options of the shipped systemd unit, as the unit's ExecStartPre runs it.
 */
class HeapEstimateTest {

  @TempDir Path dir;

  @Test
  void aThousandTunnelsFitTheShippedHeapAndThreeThousandDoNot() throws Exception {
    long shipped = 24_379_392; // Runtime.maxMemory() of -XX:+UseSerialGC -Xmx24m
    assertThat(HeapEstimate.warning(config(1000, 1), shipped)).isEmpty();
    assertThat(HeapEstimate.warning(config(3000, 1), shipped))
        .hasValueSatisfying(w -> assertThat(w).startsWith("warning: 3000 tunnel(s) need about 27 MB of heap and this JVM has 23 MB"));
  }

  @Test
  void extraTargetsCountToo() throws Exception {
    assertThat(HeapEstimate.neededBytes(config(100, 3)) - HeapEstimate.neededBytes(config(100, 1)))
        .isEqualTo(200 * HeapEstimate.EXTRA_TARGET_BYTES);
  }

  @Test
  void checkConfigWarnsInAJvmWithTheShippedOptions() throws Exception {
    Path file = dir.resolve("many.yml");
    Files.writeString(file, yaml(3000, 1));

    List<String> lines = checkConfigWithShippedOptions(file);

    assertThat(lines).first().asString().isEqualTo(file + ": valid, 3000 tunnel(s), 0 uplink(s), 0 maintenance job(s)");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("warning: 3000 tunnel(s) need about").contains("-Xmx"));
  }

  private List<String> checkConfigWithShippedOptions(Path file) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(shippedOptions().split(" ")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.tunnelwatch.cli.Main", "check-config", file.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      return output.lines().toList();
    } finally {
      ChildProcesses.stop(process);
    }
  }

  /** TUNNELWATCH_JAVA_OPTS of systemd/tunnelwatch.service (tests run in agent/). */
  private static String shippedOptions() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^Environment=TUNNELWATCH_JAVA_OPTS=\"(.*)\"$")
            .matcher(Files.readString(Path.of("..", "systemd", "tunnelwatch.service")));
    assertThat(m.find()).as("the unit sets TUNNELWATCH_JAVA_OPTS").isTrue();
    return m.group(1);
  }

  private static AgentConfig config(int tunnels, int targets) throws InvalidConfigException {
    return new ConfigLoader().parse("many.yml", yaml(tunnels, targets));
  }

  private static String yaml(int tunnels, int targets) {
    StringBuilder yaml = new StringBuilder("tunnels:\n");
    for (int i = 0; i < tunnels; i++) {
      yaml.append("  - { name: t").append(i).append(", child: net, source: 192.0.2.1, targets: [");
      for (int t = 0; t < targets; t++) {
        int n = i * targets + t;
        yaml.append(t == 0 ? "" : ", ").append("198.51.").append(n / 250 % 256).append('.').append(1 + n % 250);
      }
      yaml.append("] }\n");
    }
    return yaml.toString();
  }
}
