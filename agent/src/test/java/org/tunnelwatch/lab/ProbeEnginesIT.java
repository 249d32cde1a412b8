package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each probe engine through the lab's real IPsec tunnel: the packaged {@code tunnelwatch probe}
 * runs inside the satellite namespace with {@code probe-engine} set to raw, ping-socket and ping,
 * sending from the satellite's LAN address to the hub's. The echoes get through only if they left
 * from that address (the tunnel's policy), and stop when the tunnel is cut.
 */
class ProbeEnginesIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static Lab lab;

  @BeforeAll
  static void up() {
    LabPrerequisites.require();
    lab = Lab.up();
    // Ping sockets are off by default; allow them in the satellite's namespace only.
    assertThat(Lab.run(List.of("ip", "netns", "exec", lab.satNamespace(), "sysctl", "-q", "-w",
        "net.ipv4.ping_group_range=0 2147483647")).exitCode()).isZero();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
    }
  }

  private static Lab.Result probe(String engine) throws Exception {
    Path config = lab.dir().resolve("probe-" + engine + ".yml");
    Files.writeString(config, "probe-engine: " + engine + "\n" + AgentProcess.config(lab, ""));
    return Lab.run(List.of("ip", "netns", "exec", lab.satNamespace(), "java", "-jar", JAR.toString(), "probe", "--config",
        config.toString()));
  }

  @Test
  void everyEngineGetsThroughTheTunnelAndSaysWhichItIs() throws Exception {
    for (String[] engine : new String[][] {
        {"raw", "native ICMP (raw ICMP sockets)"},
        {"ping-socket", "native ICMP (unprivileged ping sockets)"},
        {"ping", "ping program (ping)"},
        {"auto", "native ICMP (raw ICMP sockets)"}}) {
      Lab.Result result = probe(engine[0]);
      assertThat(result.output()).as(engine[0]).contains("probe engine: " + engine[1]);
      assertThat(result.exitCode()).as(engine[0] + ":\n" + result.output()).isZero();
      assertThat(result.output()).as(engine[0]).containsPattern(lab.env.get("TW_HUB_LAN").replace(".", "\\.") + "\\s+3\\s+3\\s+0");
    }
  }

  @Test
  void noEngineGetsThroughACutTunnel() throws Exception {
    lab.fault("cut");
    try {
      for (String engine : List.of("raw", "ping-socket", "ping")) {
        Lab.Result result = probe(engine);
        assertThat(result.exitCode()).as(engine + ":\n" + result.output()).isEqualTo(1);
        assertThat(result.output()).as(engine).containsPattern(lab.env.get("TW_HUB_LAN").replace(".", "\\.") + "\\s+3\\s+0\\s+100");
      }
    } finally {
      lab.heal();
    }
  }
}
