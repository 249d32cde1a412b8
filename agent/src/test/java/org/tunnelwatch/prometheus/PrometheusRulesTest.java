package org.tunnelwatch.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules in {@code prometheus/}: promtool checks them and runs their unit tests, and
 * every alert is complete (severity, summary and description naming the tunnel or uplink and the
 * gateway, a runbook section) and tested both firing and not firing.
 */
class PrometheusRulesTest {

  private static final Path RULES = Tools.PROMETHEUS_DIR.resolve("rules/tunnelwatch.rules.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Nested
  class WithPromtool {

    @Test
    void promtoolAcceptsTheRules() {
      Tools.require(Tools.PROMTOOL);
      Tools.Result result = Tools.run(Tools.PROMETHEUS_DIR, Tools.PROMTOOL, "check", "rules", "rules/tunnelwatch.rules.yml");
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("SUCCESS: " + rules().size() + " rules found");
    }

    @Test
    void theRuleUnitTestsPass() throws IOException {
      Tools.require(Tools.PROMTOOL);
      List<String> argv = new ArrayList<>(List.of(Tools.PROMTOOL, "test", "rules"));
      testFiles().forEach(f -> argv.add(Tools.PROMETHEUS_DIR.relativize(f).toString()));
      Tools.Result result = Tools.run(argv, Tools.PROMETHEUS_DIR, "", java.time.Duration.ofSeconds(60));
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void theExampleFleetConfigurationIsValid() {
      Tools.require(Tools.PROMTOOL);
      Tools.Result result = Tools.run(Tools.PROMETHEUS_DIR, Tools.PROMTOOL, "check", "config", "fleet/prometheus.yml");
      assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theExampleAlertmanagerConfigurationIsValid() {
      Tools.require(Tools.AMTOOL);
      Tools.Result result = Tools.run(Tools.PROMETHEUS_DIR, Tools.AMTOOL, "check-config", "alertmanager.yml");
      assertThat(result.exitCode()).as(result.output()).isZero();
    }
  }

  @Nested
  class EveryAlert {

    @Test
    void hasASeverityASummaryAndADescriptionNamingWhatAndWhere() {
      for (JsonNode alert : alerts()) {
        String name = alert.get("alert").asText();
        assertThat(alert.at("/labels/severity").asText()).as(name).isIn("critical", "warning");
        String summary = alert.at("/annotations/summary").asText();
        String description = alert.at("/annotations/description").asText();
        assertThat(summary).as(name + " summary").isNotBlank();
        if (!name.equals("TunnelwatchAgentAbsent")) { // no target, so no gateway to name
          assertThat(description).as(name + " description").contains("$labels.gateway");
          assertThat(summary).as(name + " summary").contains("$labels.gateway");
        }
        if (alert.get("expr").asText().contains("tunnelwatch_tunnel") || alert.get("expr").asText().contains("tunnelwatch_child_sa")
            || alert.get("expr").asText().contains("tunnelwatch_remed")) {
          assertThat(description).as(name + " description").contains("$labels.tunnel");
        }
      }
    }

    @Test
    void hasARunbookSection() throws IOException {
      String runbook = Files.readString(Tools.RUNBOOK);
      for (JsonNode alert : alerts()) {
        String name = alert.get("alert").asText();
        assertThat(runbook).as("docs/runbook.md").contains("\n## " + name + "\n");
        assertThat(alert.at("/annotations/runbook_url").asText())
            .isEqualTo("file:///usr/share/doc/tunnelwatch/runbook.md#" + name.toLowerCase(Locale.ROOT));
      }
    }

    @Test
    void isTestedFiringAndNotFiring() throws IOException {
      Set<String> firing = new HashSet<>();
      Set<String> silent = new HashSet<>();
      for (Path file : testFiles()) {
        for (JsonNode test : YAML.readTree(file.toFile()).get("tests")) {
          for (JsonNode check : test.path("alert_rule_test")) {
            String name = check.get("alertname").asText();
            (check.path("exp_alerts").isEmpty() ? silent : firing).add(name);
          }
        }
      }
      for (JsonNode alert : alerts()) {
        String name = alert.get("alert").asText();
        assertThat(firing).as("alerts tested firing").contains(name);
        assertThat(silent).as("alerts tested not firing").contains(name);
      }
    }
  }

  static List<JsonNode> alerts() {
    return rules().stream().filter(rule -> rule.has("alert")).toList();
  }

  /** Every rule of the file, recording and alerting. */
  static List<JsonNode> rules() {
    try {
      List<JsonNode> rules = new ArrayList<>();
      for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
        group.get("rules").forEach(rules::add);
      }
      return rules;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(Tools.PROMETHEUS_DIR.resolve("tests"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
