package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * The web config file (exporter-toolkit format) as bytes: every outcome is a web config or
 * problems that each name the file on one line, never another exception. The files it names
 * ({@code cert.pem}, {@code key.pem}, {@code ca.pem}) exist beside it. Corpus: {@code
 * WebConfigLoaderFuzzTestInputs/anyBytesAreLoadedOrReportedCleanly}.
 */
class WebConfigLoaderFuzzTest {

  private static final String EXAMPLE =
      """
      tls_server_config:
        cert_file: cert.pem
        key_file: key.pem
        client_ca_file: ca.pem
        client_auth_type: RequireAndVerifyClientCert
        min_version: TLS13
      basic_auth_users:
        prometheus: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi
      """;

  private static Path base;

  @BeforeAll
  static void filesItNames() throws IOException {
    base = Files.createTempDirectory("tw-web-fuzz");
    for (String name : new String[] {"cert.pem", "key.pem", "ca.pem"}) {
      Files.writeString(base.resolve(name), "not read while loading\n");
    }
  }

  @AfterAll
  static void removeFiles() throws IOException {
    for (String name : new String[] {"cert.pem", "key.pem", "ca.pem"}) {
      Files.deleteIfExists(base.resolve(name));
    }
    Files.deleteIfExists(base);
  }

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyBytesAreLoadedOrReportedCleanly(byte[] bytes) {
    loadOrReportCleanly(bytes);
  }

  @ParameterizedTest
  @MethodSource("damagedExamples")
  void damagedCopiesOfAValidFileAreLoadedOrReportedCleanly(String text) {
    loadOrReportCleanly(text.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<String> damagedExamples() {
    return DamagedCopies.of(EXAMPLE, 1500);
  }

  private static void loadOrReportCleanly(byte[] bytes) {
    try {
      new WebConfigLoader().parse("web.yml", bytes, base);
    } catch (InvalidConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.problems()).allSatisfy(p -> {
        assertThat(p.toString()).startsWith("web.yml").doesNotContain("\n", "\r", "\u001b", "\u0000");
        assertThat(p.message()).isNotBlank();
      });
    }
  }
}
