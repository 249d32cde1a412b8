package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's default holds are the shipped rules' {@code for:}, alert by alert. */
class AlertHoldsTest {

  private static final Path RULES = Path.of("..", "prometheus", "rules", "tunnelwatch.rules.yml");

  @Test
  void theDefaultsAreTheForOfTheRulesOfTheSameName() throws Exception {
    Map<String, Duration> forOf = new HashMap<>();
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.has("alert") && rule.has("for")) {
          forOf.put(rule.get("alert").asText(), Durations.parse(rule.get("for").asText()).orElseThrow());
        }
      }
    }

    assertThat(AlertHolds.DEFAULT.tunnelDown()).isEqualTo(forOf.get("TunnelwatchTunnelDown"));
    assertThat(AlertHolds.DEFAULT.ladderExhausted()).isEqualTo(forOf.get("TunnelwatchLadderExhausted"));
    assertThat(AlertHolds.DEFAULT.uplinkDown()).isEqualTo(forOf.get("TunnelwatchUplinkDown"));
  }
}
