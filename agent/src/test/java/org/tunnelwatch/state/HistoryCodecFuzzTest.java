package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.fuzz.DamagedCopies;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever the history file holds (damaged by a crash, a full disk or a person), decoding gives a
 * history or a one-line {@link HistoryFormatException}, nothing else; a history it gives is one
 * it can write back and read again. Corpus: {@code HistoryCodecFuzzTestInputs/anyFileDecodesOrFailsCleanly}.
 */
class HistoryCodecFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyFileDecodesOrFailsCleanly(byte[] bytes) {
    decodeOrFailCleanly(bytes);
  }

  @ParameterizedTest
  @MethodSource("damagedFiles")
  void damagedRealFilesDecodeOrFailCleanly(String text) {
    decodeOrFailCleanly(text.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<String> damagedFiles() {
    Instant t = Instant.parse("2026-11-27T02:09:31.007Z");
    RemedyHistory history =
        new RemedyHistory(
            Map.of("sg1-sgcentral", new RemedyHistory.Tunnel(List.of(t, t.plusSeconds(33)), Optional.of(t)),
                "sg2", new RemedyHistory.Tunnel(List.of(), Optional.empty())),
            Optional.of(t));
    return DamagedCopies.of(new String(HistoryCodec.encode(history), StandardCharsets.UTF_8), 2000);
  }

  private static void decodeOrFailCleanly(byte[] bytes) {
    RemedyHistory decoded;
    try {
      decoded = HistoryCodec.decode(bytes);
    } catch (HistoryFormatException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
      return;
    }
    try {
      assertThat(HistoryCodec.decode(HistoryCodec.encode(decoded))).isEqualTo(decoded);
    } catch (HistoryFormatException e) {
      throw new AssertionError("a decoded history does not read back: " + e.getMessage(), e);
    }
  }
}
