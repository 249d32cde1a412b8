package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Fuzzing discovery with damaged copies of the seed's ipsec.conf files: every outcome is a plan
 * (tunnels, skipped conns, warnings) or a one-line {@link DiscoveryException}, nothing else.
 */
class DiscoveryProperties {

  private static final String[] SEEDS = {
    "seed-burri-hub-sg1.conf", "seed-burri-hub-sgcentral.conf", "seed-nadeau-nat-left.conf", "seed-nadeau-roadwarrior-right.conf"
  };

  private static final HostInterfaces HOST =
      new HostInterfaces() {
        @Override
        public List<HostAddress> addresses() {
          try {
            return List.of(new HostAddress("eth0", InetAddress.getByName("192.168.1.1"), 24));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public Optional<InetAddress> defaultRouteAddress() {
          return Optional.empty();
        }
      };

  private static String seed(int which) throws IOException {
    try (InputStream in = DiscoveryProperties.class.getResourceAsStream("/fixtures/ipsec-conf/" + SEEDS[which % SEEDS.length])) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Property(tries = 800)
  void damagedIpsecConfIsPlannedOrRefusedCleanly(
      @ForAll @IntRange(min = 0, max = 3) int which,
      @ForAll @IntRange(min = 0, max = 3000) int at,
      @ForAll @IntRange(min = 0, max = 40) int cut,
      @ForAll @StringLength(max = 12) String inserted)
      throws IOException {
    String text = seed(which);
    int from = Math.min(at, text.length());
    String damaged = text.substring(0, from) + inserted + text.substring(Math.min(text.length(), from + cut));
    Path file = Files.createTempFile("tw-fuzz", ".conf");
    try {
      Files.writeString(file, damaged);
      TunnelPlanner.Plan plan = new TunnelPlanner(HOST).plan(new IpsecConfSource(file, "fuzz.conf", HOST, Optional.empty()).read());
      assertThat(plan.diagnostics()).allSatisfy(d -> assertThat(d.toString()).doesNotContain("\n"));
      // What discovery writes must always be YAML the loader reads (valid, or with clear problems).
      assertThat(ConfigYamlWriter.write(plan, "fuzz.conf", "swanctl", Optional.empty())).startsWith("# Discovered");
    } catch (DiscoveryException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
