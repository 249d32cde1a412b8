package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tunnelwatch.ChildProcesses;
import org.tunnelwatch.Prerequisites;

/**
 * A real Prometheus (Debian package) in a lab's satellite namespace, scraping the agent there
 * every second with the shipped rules, and the walk over every expression of the shipped
 * dashboards and rules through its HTTP API: each must parse and return data.
 *
 * <p>The agent is scraped twice: with a {@code gateway} label, and without one, as a fleet
 * without gateway labels would scrape it; the dashboards must name the second by its instance.
 */
final class LabPrometheus implements AutoCloseable {

  static final Path RULES = Lab.REPO.resolve("prometheus/rules/tunnelwatch.rules.yml");
  private static final Path DASHBOARDS = Lab.REPO.resolve("grafana/dashboards");
  static final String PROMETHEUS = "/usr/bin/prometheus";
  static final String PROMTOOL = "/usr/bin/promtool";
  private static final int PORT = 19090;
  private static final Duration READY_BOUND = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A scraped series in an expression; the recording rules' own series (with colons) are checked as rules. */
  private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:])((?:tunnelwatch_[a-z_]+)|up)(?![\\w:])(\\{[^}]*\\})?");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-z_]+)\\)");
  private static final Pattern QUERY_RESULT = Pattern.compile("query_result\\((.*)\\)", Pattern.DOTALL);

  /** What a walk over the expressions found: how many it evaluated, and each one without data. */
  record Checked(int count, List<String> problems) {}

  private final Lab lab;
  private final Process process;

  private LabPrometheus(Lab lab, Process process) {
    this.lab = lab;
    this.process = process;
  }

  /** Skips (or fails under CI=true) without the Debian package prometheus. */
  static void require() {
    List<String> missing = new ArrayList<>();
    for (String program : List.of(PROMETHEUS, PROMTOOL)) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program + " (Debian package prometheus)");
      }
    }
    Prerequisites.require(missing);
  }

  /** Prometheus in {@code lab}'s satellite namespace, scraping the agent on {@code agentPort}; its files in {@code dir}. */
  static LabPrometheus start(Lab lab, Path dir, int agentPort) throws IOException {
    Path targets = dir.resolve("targets.yml");
    Files.writeString(
        targets,
        """
        - targets: ["127.0.0.1:%d"]
          labels:
            gateway: %s
        # The same agent again, as a fleet without gateway labels would scrape it.
        - targets: ["127.0.0.1:%d"]
        """.formatted(agentPort, lab.name, agentPort));
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
        """.formatted(labRules(dir), targets));
    Process process =
        new ProcessBuilder(
                "ip", "netns", "exec", lab.satNamespace(), PROMETHEUS,
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + PORT)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    LabPrometheus prometheus = new LabPrometheus(lab, process);
    try {
      await("Prometheus ready").atMost(READY_BOUND).pollInterval(Duration.ofMillis(500))
          .until(() -> !process.isAlive() || lab.httpGet("http://127.0.0.1:" + PORT + "/-/ready").contains("Ready"));
      assertThat(process.isAlive()).as(Files.readString(dir.resolve("prometheus.log"))).isTrue();
      await("Prometheus has scraped the agent").atMost(READY_BOUND)
          .until(() -> !result(prometheus.query("up{job=\"tunnelwatch\"} == 1")).isEmpty());
    } catch (RuntimeException | Error e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  @Override
  public void close() {
    ChildProcesses.stop(process);
  }

  /** The scrape without a gateway label: its instance names it. */
  static String unlabelledInstance(int agentPort) {
    return "127.0.0.1:" + agentPort;
  }

  /**
   * Every dashboard panel, query variable and rule whose expression {@code which} accepts,
   * evaluated over [start, end] for the labelled gateway and the unlabelled instance.
   */
  Checked checkExpressions(Predicate<String> which, int agentPort, long start, long end) throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("$__rate_interval", "10s");
    variables.put("$__interval", "2s");
    variables.put("$__range", (end - start) + "s");
    variables.put("$tunnel", ".*");

    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String gateway : List.of(lab.name, unlabelledInstance(agentPort))) {
      variables.put("$gateway", gateway);
      for (Path file : dashboardFiles()) {
        JsonNode dashboard = JSON.readTree(file.toFile());
        for (JsonNode panel : dashboard.get("panels")) {
          for (JsonNode target : panel.path("targets")) {
            if (!which.test(target.get("expr").asText())) {
              continue;
            }
            String expr = substitute(target.get("expr").asText(), variables);
            String where = file.getFileName() + " (gateway " + gateway + ") panel \"" + panel.get("title").asText() + "\" " + target.get("refId").asText();
            JsonNode answer = target.path("instant").asBoolean() ? query(expr) : queryRange(expr, start, end);
            check(where, expr, answer, problems);
            checked++;
          }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
          if (!variable.get("type").asText().equals("query") || !which.test(variable.at("/query/query").asText())) {
            continue;
          }
          String expr = variableExpression(variable, variables);
          JsonNode answer = query(expr);
          check(file.getFileName() + " (gateway " + gateway + ") variable " + variable.get("name").asText(), expr, answer, problems);
          if (variable.get("name").asText().equals("gateway")) {
            assertThat(result(answer)).extracting(r -> r.at("/metric/gateway").asText())
                .as("the $gateway variable offers the labelled gateway and the unlabelled one by its instance")
                .contains(lab.name, unlabelledInstance(agentPort));
          }
          checked++;
        }
      }
    }

    for (JsonNode rule : rules()) {
      String name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
      String expr = rule.get("expr").asText();
      if (!which.test(expr)) {
        continue;
      }
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
        if (which.test(selector)) {
          check("rule " + name + " selector", selector, queryRange(selector, start, end), problems);
          checked++;
        }
      }
    }
    return new Checked(checked, problems);
  }

  /** The one value of an instant query. */
  double value(String expr) throws IOException {
    List<JsonNode> samples = result(query(expr));
    assertThat(samples).as(expr).hasSize(1);
    return Double.parseDouble(samples.get(0).at("/value/1").asText());
  }

  JsonNode query(String expr) throws IOException {
    return api("/api/v1/query", List.of("query=" + expr));
  }

  JsonNode queryRange(String expr, long start, long end) throws IOException {
    return api("/api/v1/query_range", List.of("query=" + expr, "start=" + start, "end=" + end, "step=2"));
  }

  static List<JsonNode> result(JsonNode answer) {
    List<JsonNode> out = new ArrayList<>();
    answer.path("data").path("result").forEach(out::add);
    return out;
  }

  private static void check(String where, String expr, JsonNode answer, List<String> problems) {
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

  /**
   * The shipped rules, with the SLA group evaluated every second like the others instead of every
   * 5 minutes, which a run of half a minute would not see once: the expressions are the same.
   */
  private static Path labRules(Path dir) throws IOException {
    String shipped = Files.readString(RULES);
    assertThat(shipped).contains("interval: \"5m\"");
    Path rules = dir.resolve("tunnelwatch.rules.yml");
    Files.writeString(rules, shipped.replace("interval: \"5m\"", "interval: \"1s\""));
    return rules;
  }

  /** A POST to Prometheus's API from inside the namespace, with curl, as {@link Lab#httpGet} does. */
  private JsonNode api(String path, List<String> form) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.satNamespace(), "curl", "-s", "--max-time", "10"));
    for (String field : form) {
      argv.add("--data-urlencode");
      argv.add(field);
    }
    argv.add("http://127.0.0.1:" + PORT + path);
    Lab.Result result = Lab.run(argv);
    if (result.exitCode() != 0 || result.output().isBlank()) {
      return JSON.createObjectNode().put("status", "error").put("error", "curl failed (" + result.exitCode() + "): " + result.output());
    }
    return JSON.readTree(result.output());
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
