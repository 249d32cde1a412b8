package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tunnelwatch discover --uri} against real charon, run where an operator would run it:
 * on the satellite, so that the source address is found among its own interfaces.
 */
class DiscoveryIT extends LabScenario {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();

  @BeforeEach
  void upLab() {
    lab = Lab.up();
  }

  private Lab.Result inSatellite(String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", lab.satNamespace(), "java", "-jar", JAR.toString()));
    argv.addAll(List.of(args));
    return Lab.run(argv);
  }

  @Test
  void discoversTheSatellitesTunnelFromCharonAndTheResultIsAValidConfig() throws Exception {
    Lab.Result discovered = inSatellite("discover", "--uri", lab.env.get("TW_SAT_VICI"));
    assertThat(discovered.exitCode()).as(discovered.output()).isZero();
    assertThat(discovered.output())
        .contains("  type: vici\n", "  - name: \"sg1-sgcentral\"\n", "    child: \"net\"\n", "    source: 198.51.100.1\n",
            "    targets: [203.0.113.1]\n");

    Path config = lab.dir().resolve("discovered.yml");
    Files.writeString(config, discovered.output());
    Lab.Result check = inSatellite("check-config", config.toString());
    assertThat(check.output()).contains("valid, 1 tunnel(s)");
    Lab.Result probe = inSatellite("probe", "--config", config.toString());
    assertThat(probe.exitCode()).as(probe.output()).isZero();
  }

  @Test
  void tunnelsAutoWithTheViciSourceFindsTheTunnelWhenTheConfigIsLoaded() throws Exception {
    Path config = lab.dir().resolve("auto.yml");
    Files.writeString(
        config,
        """
        backend:
          type: vici
          uri: "%s"
        discovery:
          source: vici
        tunnels: auto
        """.formatted(lab.env.get("TW_SAT_VICI")));
    Lab.Result check = inSatellite("check-config", config.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("valid, 1 tunnel(s)");
  }

  @Test
  void anUnreachableCharonIsAOneLineError() {
    Lab.Result result = inSatellite("discover", "--uri", "unix://" + lab.dir().resolve("missing.vici"));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output().strip()).startsWith("tunnelwatch: cannot ask charon at unix://").doesNotContain("\tat ");
  }
}
