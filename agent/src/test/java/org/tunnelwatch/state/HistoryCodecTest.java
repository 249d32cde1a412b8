package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistoryCodecTest {

  private static final Instant T1 = Instant.parse("2026-11-27T02:09:31.007Z");
  private static final Instant T2 = Instant.parse("2026-11-27T02:10:04.120Z");

  @Test
  void aHistoryComesBackAsItWasSaved() throws Exception {
    RemedyHistory history =
        new RemedyHistory(
            Map.of("sg1-sgcentral", new RemedyHistory.Tunnel(List.of(T1, T2), Optional.of(T2)),
                "sg2", new RemedyHistory.Tunnel(List.of(), Optional.empty())),
            Optional.of(T2));
    assertThat(HistoryCodec.decode(HistoryCodec.encode(history))).isEqualTo(history);
  }

  @Test
  void theFileIsReadableJson() {
    String text =
        new String(HistoryCodec.encode(new RemedyHistory(
            Map.of("sg1", new RemedyHistory.Tunnel(List.of(T1), Optional.of(T1))), Optional.empty())), StandardCharsets.UTF_8);
    assertThat(text).contains("\"version\" : 1").contains("\"last-attempt\" : \"2026-11-27T02:09:31.007Z\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''                                                        | empty file",
    "'   '                                                     | not JSON",
    "{\"version\": 1, \"tunnels\": {                            | not JSON",
    "[]                                                        | not a JSON object",
    "{\"tunnels\": {}}                                          | version: expected 1, found null",
    "{\"version\": 2, \"tunnels\": {}}                          | version: expected 1, found 2",
    "{\"version\": 1}                                           | tunnels: expected an object",
    "{\"version\": 1, \"tunnels\": {\"a\": 3}}                  | tunnels.a: expected an object",
    "{\"version\": 1, \"tunnels\": {\"a\": {}}}                 | tunnels.a.actions: expected a list",
    "{\"version\": 1, \"tunnels\": {\"a\": {\"actions\": [\"x\"]}}} | tunnels.a.actions[0]: not a time: \"x\"",
    "{\"version\": 1, \"tunnels\": {\"a\": {\"actions\": [], \"last-attempt\": 5}}} | tunnels.a.last-attempt: expected a time",
    "{\"version\": 1, \"service-restart\": \"yesterday\", \"tunnels\": {}} | service-restart: not a time: \"yesterday\"",
  })
  void damageIsNamedInOneLine(String text, String message) {
    assertThatThrownBy(() -> HistoryCodec.decode(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageStartingWith(message)
        .hasMessageNotContaining("\n");
  }
}
