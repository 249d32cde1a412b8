package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever ping prints, the parser answers with a consistent result or none, never an exception.
 * Corpus: {@code PingOutputParserFuzzTestInputs/anyOutputGivesAConsistentResultOrNone}.
 */
class PingOutputParserFuzzTest {

  private static final InetAddress TARGET = InetAddress.getLoopbackAddress();

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyOutputGivesAConsistentResultOrNone(byte[] output) {
    parseConsistently(new String(output, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("damagedOutputs")
  void damagedRealOutputGivesAConsistentResultOrNone(String output) {
    parseConsistently(output);
  }

  static Stream<String> damagedOutputs() {
    return DamagedCopies.of(Fixtures.read("ping/ping-partial-loss.txt") + Fixtures.read("ping/ping-ok.txt"), 2000);
  }

  private static void parseConsistently(String output) {
    PingOutputParser.parse(TARGET, output).ifPresent(result -> {
      assertThat(result.sent()).isNotNegative();
      assertThat(result.received()).isBetween(0, result.sent());
      assertThat(result.rtts()).allSatisfy(rtt -> assertThat(rtt.isNegative()).isFalse());
    });
  }
}
