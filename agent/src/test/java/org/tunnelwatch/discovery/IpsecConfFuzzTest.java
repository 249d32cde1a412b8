package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.InvalidConfigException;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * ipsec.conf trees, as discovery reads them from disk: every outcome is a plan (tunnels, skipped
 * conns, one-line warnings) that the config loader reads, or a one-line {@link
 * DiscoveryException}; a secrets file in the tree never reaches the output. An input is a tree
 * of four files, split at NUL bytes: {@code ipsec.conf}, {@code a.conf}, {@code sub/b.conf} and
 * {@code ipsec.secrets}, so that includes, globs and include loops are reachable. Corpus: {@code
 * IpsecConfFuzzTestInputs/anyTreeIsPlannedOrRefusedCleanly}.
 */
class IpsecConfFuzzTest {

  private static final List<String> FILES = List.of("ipsec.conf", "a.conf", "sub/b.conf", "ipsec.secrets");
  /** Written into every tree's secrets file: it must never be printed. */
  private static final String PSK = ": PSK \"fuzz-secret-Kq8x\"\n";

  private static final String[] SEEDS = {
    "seed-burri-hub-sg1.conf", "seed-burri-hub-sgcentral.conf", "seed-nadeau-nat-left.conf", "seed-nadeau-roadwarrior-right.conf"
  };

  private static final HostInterfaces HOST =
      new HostInterfaces() {
        @Override
        public List<HostAddress> addresses() {
          return List.of(new HostAddress("eth0", InetAddress.getLoopbackAddress(), 8),
              new HostAddress("eth1", address("192.168.1.1"), 24));
        }

        @Override
        public Optional<InetAddress> defaultRouteAddress() {
          return Optional.empty();
        }
      };

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyTreeIsPlannedOrRefusedCleanly(byte[] bytes) throws IOException {
    planOrRefuseCleanly(bytes);
  }

  @ParameterizedTest
  @MethodSource("damagedTrees")
  void damagedRealFilesArePlannedOrRefusedCleanly(String tree) throws IOException {
    planOrRefuseCleanly(tree.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<String> damagedTrees() {
    return Stream.of(SEEDS)
        .flatMap(seed -> DamagedCopies.of(Fixtures.read("ipsec-conf/" + seed) + "include a.conf\n\u0000conn extra\n  also=%default\n", 200));
  }

  private static void planOrRefuseCleanly(byte[] bytes) throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "tw-fuzz");
    try {
      writeTree(dir, bytes);
      TunnelPlanner.Plan plan =
          new TunnelPlanner(HOST).plan(new IpsecConfSource(dir.resolve("ipsec.conf"), "fuzz.conf", HOST, Optional.empty()).read());
      assertThat(plan.diagnostics()).allSatisfy(d -> assertThat(d.toString()).doesNotContain("\n", "fuzz-secret"));
      String yaml = ConfigYamlWriter.write(plan, "fuzz.conf", "swanctl", Optional.empty());
      assertThat(yaml).startsWith("# Discovered").doesNotContain("fuzz-secret");
      try {
        new ConfigLoader().parse("discovered.yml", yaml);
      } catch (InvalidConfigException e) {
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.toString()).startsWith("discovered.yml").doesNotContain("\n"));
      }
    } catch (DiscoveryException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n", "fuzz-secret");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(IpsecConfFuzzTest::delete);
      }
    }
  }

  private static void writeTree(Path dir, byte[] bytes) throws IOException {
    Files.createDirectories(dir.resolve("sub"));
    int from = 0;
    for (int i = 0; i < FILES.size() - 1; i++) {
      int start = Math.min(from, bytes.length);
      int end = start;
      while (end < bytes.length && bytes[end] != 0) {
        end++;
      }
      Files.write(dir.resolve(FILES.get(i)), Arrays.copyOfRange(bytes, start, end));
      from = end + 1;
    }
    String rest = from < bytes.length ? new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8) : "";
    Files.writeString(dir.resolve(FILES.get(FILES.size() - 1)), rest + PSK);
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
