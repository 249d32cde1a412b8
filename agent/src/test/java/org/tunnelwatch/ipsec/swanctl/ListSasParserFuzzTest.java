package org.tunnelwatch.ipsec.swanctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;
import org.tunnelwatch.ipsec.IkeSa;

/**
 * Whatever {@code swanctl --list-sas --raw} prints, the parser returns SAs or a one-line {@link
 * RawFormatException}, nothing else. Corpus: {@code ListSasParserFuzzTestInputs/anyOutputParsesOrFailsCleanly}.
 */
class ListSasParserFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyOutputParsesOrFailsCleanly(byte[] output) {
    parseOrFailCleanly(new String(output, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("damagedOutputs")
  void damagedRealOutputParsesOrFailsCleanly(String output) {
    parseOrFailCleanly(output);
  }

  static Stream<String> damagedOutputs() {
    return Stream.concat(
        DamagedCopies.of(Fixtures.read("swanctl/list-sas-raw-installed.txt"), 3000),
        DamagedCopies.of("list-sa event {sg1 {uniqueid=1 version=2 state=ESTABLISHED child-sas {}}}", 1000));
  }

  private static void parseOrFailCleanly(String output) {
    try {
      List<IkeSa> sas = ListSasParser.parse(output);
      assertThat(sas).allSatisfy(sa -> assertThat(sa.name()).isNotNull());
    } catch (RawFormatException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }
}
