package org.tunnelwatch.ipsec.libreswan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever {@code ipsec whack --showstates} and {@code --trafficstatus} print, the parser gives SAs
 * or none, never an exception: the daemon's text is input. An input is both outputs, split at its
 * first NUL. Corpus: {@code LibreswanStatusFuzzTestInputs/anyWhackOutputNeverThrows}.
 */
class LibreswanStatusFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyWhackOutputNeverThrows(byte[] bytes) {
    parseBoth(new String(bytes, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("damagedOutputs")
  void damagedRealOutputNeverThrows(String both) {
    parseBoth(both);
  }

  static Stream<String> damagedOutputs() {
    return Stream.of("4", "5")
        .flatMap(v -> DamagedCopies.of(
            Fixtures.read("libreswan/showstates-" + v + "-established.txt") + "\u0000"
                + Fixtures.read("libreswan/trafficstatus-" + v + "-established.txt"), 1500));
  }

  private static void parseBoth(String both) {
    int split = both.indexOf('\u0000');
    String states = split < 0 ? both : both.substring(0, split);
    String traffic = split < 0 ? "" : both.substring(split + 1);
    assertThat(LibreswanStatusParser.parse(states, traffic)).allSatisfy(sa -> assertThat(sa.name()).isNotNull());
  }
}
