package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * The configuration file as bytes, hostile or careless: every outcome is a configuration or
 * problems that each name the file and say what is wrong on one line, never another exception.
 * Corpus: {@code ConfigLoaderFuzzTestInputs/anyBytesAreLoadedOrReportedCleanly}.
 */
class ConfigLoaderFuzzTest {

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

  static Stream<String> damagedExamples() throws IOException {
    try (InputStream in = ConfigLoaderFuzzTest.class.getResourceAsStream("/config/valid/issue-example.yml")) {
      return DamagedCopies.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), 3000);
    }
  }

  private static void loadOrReportCleanly(byte[] bytes) {
    try {
      new ConfigLoader().parse("fuzz.yml", bytes);
    } catch (InvalidConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.problems()).allSatisfy(p -> {
        // The file itself, or the web config it names (whose problems name that file).
        assertThat(p.file()).isNotBlank();
        assertThat(p.toString()).doesNotContain("\n", "\r", "\u001b", "\u0000");
        assertThat(p.message()).isNotBlank();
        // Plain words: no parser internals.
        assertThat(p.message()).doesNotContain("org.yaml", "com.fasterxml", "StreamReadConstraints");
      });
    }
  }
}
