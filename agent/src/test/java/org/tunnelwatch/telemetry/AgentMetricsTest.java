package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.time.ManualTime;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.HealthPolicy;
import org.tunnelwatch.health.HealthMachine;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Compares an exact scrape of the agent's own series against a stored expected text. After a
 * deliberate change, regenerate it with TUNNELWATCH_WRITE_EXPECTED=1 and review the diff.
 */
class AgentMetricsTest {

  /** Held: Micrometer's gauges keep only weak references to the values they read. */
  private AgentMetrics metrics;

  private static final TunnelSettings SETTINGS =
      TunnelSettings.builder().ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE).build();

  /**
   * The CHILD SA as the daemon reports it in round {@code i}: installed and counting, then gone
   * in the last round (the counters start again from zero, as after a rekey).
   */
  private static SaStatus sa(int i) {
    if (i == 7) {
      return new SaStatus(Optional.of(new IkeSa("sg1-sgcentral", 1, "ESTABLISHED", List.of())), Optional.empty());
    }
    ChildSa child = new ChildSa("net", 1, "INSTALLED", 1000L * (i + 1), 900L * (i + 1), 10L * (i + 1), 9L * (i + 1));
    return new SaStatus(Optional.of(new IkeSa("sg1-sgcentral", 1, "ESTABLISHED", List.of(child))), Optional.of(child));
  }

  @Test
  void aScrapeAfterAnOutageAndARepairMatchesTheExpectedText() throws Exception {
    PrometheusMeterRegistry registry = afterAnOutageAndARepair();

    String ours =
        registry.scrape().lines()
            .filter(line -> line.startsWith("tunnelwatch_") || line.startsWith("# HELP tunnelwatch_") || line.startsWith("# TYPE tunnelwatch_"))
            .collect(Collectors.joining("\n", "", "\n"));
    expect(ours, "telemetry/expected-scrape.txt");
  }

  /** The same registry over real HTTP, as the text format 0.0.4 and as OpenMetrics. */
  @Test
  void eachFormatServedOverHttpMatchesItsExpectedText() throws Exception {
    PrometheusMeterRegistry registry = afterAnOutageAndARepair();
    try (AgentHttpServer server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), registry.getPrometheusRegistry(), () -> null)) {
      HttpResponse<String> text = scrape(server, "text/plain");
      HttpResponse<String> openMetrics =
          scrape(server, "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

      assertThat(text.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      expect(ours(text.body(), ""), "telemetry/expected-scrape.txt");
      assertThat(openMetrics.headers().firstValue("Content-Type")).contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
      assertThat(openMetrics.body()).endsWith("\n# EOF\n");
      assertThat(openMetrics.body().lines().filter(l -> l.equals("# EOF"))).hasSize(1);
      expect(ours(openMetrics.body(), "# EOF"), "telemetry/expected-scrape.openmetrics.txt");
    }
  }

  private static HttpResponse<String> scrape(AgentHttpServer server, String accept) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The agent's own lines (the JVM's move between scrapes), and {@code alsoKept}. */
  private static String ours(String scrape, String alsoKept) {
    return scrape.lines()
        .filter(line -> line.startsWith("tunnelwatch_") || line.startsWith("# HELP tunnelwatch_") || line.startsWith("# TYPE tunnelwatch_")
            || line.startsWith("# UNIT tunnelwatch_") || line.equals(alsoKept))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static void expect(String ours, String expected) throws Exception {
    if (System.getenv("TUNNELWATCH_WRITE_EXPECTED") != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/fixtures/" + expected), ours);
    }
    assertThat(ours).isEqualTo(Fixtures.read(expected));
  }

  private PrometheusMeterRegistry afterAnOutageAndARepair() throws Exception {
    InetAddress target = InetAddress.getByName("203.0.113.1");
    TunnelConfig tunnel =
        new TunnelConfig("sg1-sgcentral", "sg1-sgcentral", "net", InetAddress.getByName("198.51.100.1"),
            List.of(ProbeTarget.icmp(target)), Optional.of("wan"), SETTINGS);
    ManualTime clock = new ManualTime();
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MicrometerClock(clock));
    metrics = new AgentMetrics(registry, clock, List.of(tunnel), List.of("wan"));

    HealthMachine machine = new HealthMachine(HealthPolicy.from(SETTINGS));
    HealthState health = HealthState.initial(0);
    long second = 1_000_000_000L;
    int[] replies = {3, 3, 2, 0, 0, 0, 0, 0};
    AgentMetrics.RoundStarts starts = metrics.roundStarts(tunnel.name(), Duration.ofSeconds(2));
    // Rounds start every 2 s; the fifth starts half a second late.
    for (int i = 0; i < replies.length; i++) {
      clock.advance(Duration.ofMillis(i == 4 ? 2500 : i == 5 ? 1500 : 2000));
      starts.started();
      RoundSample sample = new RoundSample((i + 1) * second, 3, replies[i], replies[i] * 1_500_000L);
      HealthState next = machine.next(health, sample);
      if (next.state() != health.state()) {
        metrics.stateChanged(tunnel.name(), health, next);
      }
      health = next;
      List<Duration> rtts = java.util.Collections.nCopies(replies[i], Duration.ofNanos(1_500_000));
      TunnelRound round =
          new TunnelRound(tunnel.name(), Instant.EPOCH, List.of(EchoResult.of(target, 3, rtts)),
              Optional.of(new LinkState("wan0", true, "up", true, true)), Optional.of(sa(i)), Optional.empty(), sample);
      metrics.roundCompleted(round, health, RemedyState.initial());
    }
    metrics.uplinkChanged("wan", new LinkState("wan0", true, "up", true, true));
    metrics.backendChanged(false);
    metrics.backendChanged(true);
    metrics.stateWritableChanged(false);
    metrics.remedied(tunnel.name(), new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.SUCCESS, "", Duration.ofMillis(80)), "tunnel is down");
    metrics.remedied(tunnel.name(), new RemedyOutcome(RemedyAction.RESTART_IKE, RemedyResult.SKIPPED, "rate limit", Duration.ZERO), "tunnel is down");
    return registry;
  }
}
