package org.tunnelwatch.lab;

import org.tunnelwatch.ChildProcesses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.Prerequisites;

/**
 * What operators see, end to end: a real Prometheus (Debian package), running in the satellite's
 * namespace, scrapes the packaged agent in the lab and evaluates the alerting rules while the
 * data plane of the tunnel is cut and repaired. Then every expression of the Grafana dashboards
 * (panels and variables) and of the rules is evaluated through the Prometheus HTTP API: each
 * must parse and return data. A live scrape passes {@code promtool check metrics}.
 */
class PrometheusLabIT {

  private static final Path RULES = Lab.REPO.resolve("prometheus/rules/tunnelwatch.rules.yml");
  private static final Path DASHBOARDS = Lab.REPO.resolve("grafana/dashboards");
  private static final String PROMETHEUS = "/usr/bin/prometheus";
  private static final String PROMTOOL = "/usr/bin/promtool";
  private static final int PROMETHEUS_PORT = 19090;
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A scraped series in an expression; the recording rules' own series (with colons) are checked as rules. */
  private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:])((?:tunnelwatch_[a-z_]+)|up)(?![\\w:])(\\{[^}]*\\})?");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-z_]+)\\)");
  private static final Pattern QUERY_RESULT = Pattern.compile("query_result\\((.*)\\)", Pattern.DOTALL);

  @TempDir Path dir;

  private Lab lab;
  private AgentProcess agent;
  private Process prometheus;

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (prometheus != null) {
        ChildProcesses.stop(prometheus);
      }
      if (agent != null) {
        agent.close();
        System.out.println("---- agent log (lab " + lab.name + ")\n" + agent.logText());
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  @Test
  void everyDashboardAndRuleExpressionReturnsDataFromARealScrapeOfABrokenTunnel() throws Exception {
    LabPrerequisites.require();
    List<String> missing = new ArrayList<>();
    for (String program : List.of(PROMETHEUS, PROMTOOL)) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program + " (Debian package prometheus)");
      }
    }
    Prerequisites.require(missing);

    lab = Lab.up();
    // The agent's own alerts go to an Alertmanager that is not there: they are counted as failed,
    // so that the dashboard's notification panel has data.
    agent = AgentProcess.start(lab, "", "alerting:\n  alertmanagers: [\"http://127.0.0.1:19093\"]\n  resend-interval: 5s\n  timeout: 1s\n  gateway: " + lab.name + "\n");
    await("tunnel up").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);
    long start = System.currentTimeMillis() / 1000;
    startPrometheus();
    await("Prometheus has scraped the agent").atMost(BOUND)
        .until(() -> !result(query("up{job=\"tunnelwatch\"} == 1")).isEmpty());

    String scrape = lab.httpGet("http://127.0.0.1:" + AgentProcess.PORT + "/metrics");
    Lab.Result lint = lint(scrape);
    assertThat(lint.output()).as("promtool check metrics on a live scrape").isEmpty();
    assertThat(lint.exitCode()).isZero();

    Thread.sleep(5_000); // some healthy history
    lab.fault("dataplane");
    await("the ladder tried twice").atMost(BOUND)
        .until(() -> agent.scrape().sum("tunnelwatch_remediations_total", "result", "success")
            + agent.scrape().sum("tunnelwatch_remediations_total", "result", "failure") >= 2);
    lab.heal();
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    await("tunnel up again").atMost(BOUND).until(() -> agent.scrape().sum("tunnelwatch_tunnel_up") == 1.0);
    Thread.sleep(4_000); // a few more scrapes and rule evaluations
    long end = System.currentTimeMillis() / 1000;

    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("$__rate_interval", "10s");
    variables.put("$__interval", "2s");
    variables.put("$__range", (end - start) + "s");
    variables.put("$tunnel", ".*");

    List<String> problems = new ArrayList<>();
    int checked = 0;
    // The agent is scraped twice (see startPrometheus): with a gateway label, and without one,
    // which the dashboards must name by its instance. Each panel must show data for both.
    for (String gateway : List.of(lab.name, unlabelledInstance())) {
      variables.put("$gateway", gateway);
      for (Path file : dashboardFiles()) {
        JsonNode dashboard = JSON.readTree(file.toFile());
        for (JsonNode panel : dashboard.get("panels")) {
          for (JsonNode target : panel.path("targets")) {
            String expr = substitute(target.get("expr").asText(), variables);
            String where = file.getFileName() + " (gateway " + gateway + ") panel \"" + panel.get("title").asText() + "\" " + target.get("refId").asText();
            JsonNode answer = target.path("instant").asBoolean() ? query(expr) : queryRange(expr, start, end);
            check(where, expr, answer, problems);
            checked++;
          }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
          if (variable.get("type").asText().equals("query")) {
            String expr = variableExpression(variable, variables);
            JsonNode answer = query(expr);
            check(file.getFileName() + " (gateway " + gateway + ") variable " + variable.get("name").asText(), expr, answer, problems);
            if (variable.get("name").asText().equals("gateway")) {
              assertThat(result(answer)).extracting(r -> r.at("/metric/gateway").asText())
                  .as("the $gateway variable offers the labelled gateway and the unlabelled one by its instance")
                  .contains(lab.name, unlabelledInstance());
            }
            checked++;
          }
        }
      }
    }

    for (JsonNode rule : rules()) {
      String name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
      String expr = rule.get("expr").asText();
      if (rule.has("record")) { // what Prometheus recorded from it over the run
        check("recording rule " + name, name, queryRange(name, start, end), problems);
        checked++;
      }
      JsonNode answer = query(expr);
      if (!answer.path("status").asText().equals("success")) {
        problems.add("rule " + name + ": " + answer.path("error").asText(answer.toString()));
        continue;
      }
      Matcher m = SELECTOR.matcher(expr);
      while (m.find()) {
        String selector = m.group(1) + (m.group(2) == null ? "" : m.group(2));
        check("rule " + name + " selector", selector, queryRange(selector, start, end), problems);
        checked++;
      }
    }
    System.out.println("PrometheusLabIT: " + checked + " expressions evaluated, over " + (end - start) + " s of scrapes");
    assertThat(problems).as("expressions checked: %d", checked).isEmpty();
    assertThat(checked).isGreaterThan(80);

    // The rules ran on the real data: the outage made the down rule pending.
    assertThat(result(queryRange("ALERTS{alertname=\"TunnelwatchTunnelDown\", tunnel=\"" + lab.env.get("TW_IKE") + "\"}", start, end)))
        .as("TunnelwatchTunnelDown pending during the outage").isNotEmpty();

    slaFiguresAgreeWithTheAgentsOwnCounts(lab.env.get("TW_IKE"));
  }

  /**
   * The run had an outage (or more), whose down time and detection time the agent counted
   * itself: the recording rules must find the same means (increase() extrapolates a little, hence the margin).
   * Availability over a run shorter than the 5-minute rate is diluted (each recorded sample is
   * the down time so far over 5 minutes), so it is bounded, not equated; the exact arithmetic is
   * in prometheus/tests/tunnelwatch.sla.test.yml.
   */
  private void slaFiguresAgreeWithTheAgentsOwnCounts(String tunnel) throws IOException {
    Scrape scrape = agent.scrape();
    double outages = scrape.sum("tunnelwatch_tunnel_state_changes_total", "tunnel", tunnel, "state", "down");
    double down = scrape.sum("tunnelwatch_tunnel_down_seconds_total", "tunnel", tunnel);
    double detection = scrape.sum("tunnelwatch_tunnel_outage_detection_seconds_total", "tunnel", tunnel);
    assertThat(outages).as("outages the agent counted").isGreaterThanOrEqualTo(1.0);
    assertThat(down).as("down time the agent counted").isPositive();
    String labels = "{tunnel=\"" + tunnel + "\", gateway=\"" + lab.name + "\"}";
    System.out.printf("PrometheusLabIT SLA: agent counted %.0f outages, %.2f s down, %.2f s detection%n", outages, down, detection);
    for (String window : List.of("1d", "7d", "30d")) {
      double recordedOutages = value("tunnel:tunnelwatch_outages:increase" + window + labels);
      double repair = value("tunnel:tunnelwatch_time_to_repair_seconds:mean" + window + labels);
      double detect = value("tunnel:tunnelwatch_time_to_detect_seconds:mean" + window + labels);
      double availability = value("tunnel:tunnelwatch_availability:ratio" + window + labels);
      System.out.printf("PrometheusLabIT SLA %s: outages %.3f, MTTR %.2f s, MTTD %.2f s, availability %.5f%n",
          window, recordedOutages, repair, detect, availability);
      assertThat((double) Math.round(recordedOutages)).as("outages over " + window).isEqualTo(outages);
      assertThat(repair).as("mean time to repair over " + window).isCloseTo(down / outages, Percentage.withPercentage(10));
      assertThat(detect).as("mean time to detect over " + window).isCloseTo(detection / outages, Offset.offset(0.1 * detection / outages + 0.01));
      assertThat(availability).as("availability over " + window).isLessThan(1.0).isGreaterThanOrEqualTo(1.0 - 1.2 * down / 300);
    }
  }

  /** The one value of an instant query. */
  private double value(String expr) throws IOException {
    List<JsonNode> samples = result(query(expr));
    assertThat(samples).as(expr).hasSize(1);
    return Double.parseDouble(samples.get(0).at("/value/1").asText());
  }

  private void check(String where, String expr, JsonNode answer, List<String> problems) {
    if (!answer.path("status").asText().equals("success")) {
      problems.add(where + ": " + answer.path("error").asText(answer.toString()) + "\n    " + expr);
    } else if (result(answer).isEmpty()) {
      problems.add(where + ": no data\n    " + expr);
    }
  }

  /** The PromQL behind a query variable: label_values(selector, label) or query_result(expr). */
  private static String variableExpression(JsonNode variable, Map<String, String> variables) {
    String query = variable.at("/query/query").asText();
    Matcher values = LABEL_VALUES.matcher(query);
    if (values.matches()) {
      return "count by(" + values.group(2) + ") (" + substitute(values.group(1), variables) + ")";
    }
    Matcher result = QUERY_RESULT.matcher(query);
    assertThat(result.matches()).as("variable %s is label_values(...) or query_result(...)", variable.get("name")).isTrue();
    return substitute(result.group(1), variables);
  }

  private static String substitute(String expr, Map<String, String> variables) {
    String out = expr;
    for (var e : variables.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static List<JsonNode> result(JsonNode answer) {
    List<JsonNode> out = new ArrayList<>();
    answer.path("data").path("result").forEach(out::add);
    return out;
  }

  private void startPrometheus() throws IOException {
    Path targets = dir.resolve("targets.yml");
    Files.writeString(
        targets,
        """
        - targets: ["127.0.0.1:%d"]
          labels:
            gateway: %s
        # The same agent again, as a fleet without gateway labels would scrape it.
        - targets: ["127.0.0.1:%d"]
        """.formatted(AgentProcess.PORT, lab.name, AgentProcess.PORT));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: ["%s"]
        scrape_configs:
          - job_name: tunnelwatch
            file_sd_configs:
              - files: ["%s"]
        """.formatted(RULES, targets));
    prometheus =
        new ProcessBuilder(
                "ip", "netns", "exec", lab.satNamespace(), PROMETHEUS,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    await("Prometheus ready").atMost(BOUND).pollInterval(Duration.ofMillis(500))
        .until(() -> !prometheus.isAlive() || lab.httpGet("http://127.0.0.1:" + PROMETHEUS_PORT + "/-/ready").contains("Ready"));
    assertThat(prometheus.isAlive()).as(Files.readString(dir.resolve("prometheus.log"))).isTrue();
  }

  /** The scrape without a gateway label: its instance names it. */
  private static String unlabelledInstance() {
    return "127.0.0.1:" + AgentProcess.PORT;
  }

  private JsonNode query(String expr) throws IOException {
    return api("/api/v1/query", List.of("query=" + expr));
  }

  private JsonNode queryRange(String expr, long start, long end) throws IOException {
    return api("/api/v1/query_range", List.of("query=" + expr, "start=" + start, "end=" + end, "step=2"));
  }

  /** A POST to Prometheus's API from inside the namespace, with curl, as {@link Lab#httpGet} does. */
  private JsonNode api(String path, List<String> form) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.satNamespace(), "curl", "-s", "--max-time", "10"));
    for (String field : form) {
      argv.add("--data-urlencode");
      argv.add(field);
    }
    argv.add("http://127.0.0.1:" + PROMETHEUS_PORT + path);
    Lab.Result result = Lab.run(argv);
    if (result.exitCode() != 0 || result.output().isBlank()) {
      return JSON.createObjectNode().put("status", "error").put("error", "curl failed (" + result.exitCode() + "): " + result.output());
    }
    return JSON.readTree(result.output());
  }

  private Lab.Result lint(String scrape) throws IOException {
    Path file = dir.resolve("scrape.txt");
    Files.writeString(file, scrape, StandardCharsets.UTF_8);
    return Lab.run(List.of("sh", "-c", PROMTOOL + " check metrics < '" + file + "'"));
  }

  private static List<Path> dashboardFiles() throws IOException {
    try (var files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static Set<JsonNode> rules() throws IOException {
    Set<JsonNode> rules = new LinkedHashSet<>();
    for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile()).get("groups")) {
      group.get("rules").forEach(rules::add);
    }
    return rules;
  }
}
