package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelRound;

/** {@code /metrics} over real HTTP, written family by family, against the registry's own scrape. */
class StreamingMetricsHandlerTest {

  private static final TunnelSettings SETTINGS =
      TunnelSettings.builder().ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE).build();

  private final HttpClient client = HttpClient.newHttpClient();
  private PrometheusMeterRegistry registry;
  private AgentHttpServer server;
  /** Held: Micrometer's gauges keep only weak references to the values they read. */
  private AgentMetrics metrics;

  @BeforeEach
  void start() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MicrometerClock(TimeSource.system()));
    new JvmMemoryMetrics().bindTo(registry); // Micrometer's own collectors beside ours
    // Families of kinds the handler leaves to the client's writer (an info) or writes with a unit.
    ProcessFamilies.register(registry.getPrometheusRegistry());
    io.prometheus.metrics.core.metrics.Info.builder().name("tunnelwatch_build_info").help("Build").labelNames("version")
        .register(registry.getPrometheusRegistry()).addLabelValues("1.0");
    List<TunnelConfig> tunnels = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tunnels.add(new TunnelConfig("t" + i, "t" + i, "net", InetAddress.getByName("198.51.100.1"),
          List.of(ProbeTarget.icmp(InetAddress.getByName("203.0.113." + (i + 1)))), Optional.of("wan"), SETTINGS));
    }
    metrics = new AgentMetrics(registry, TimeSource.system(), tunnels, List.of("wan"));
    for (TunnelConfig tunnel : tunnels) {
      metrics.roundCompleted(
          new TunnelRound(tunnel.name(), Instant.EPOCH, List.of(EchoResult.of(tunnel.targets().get(0).address(), 3, List.of(Duration.ofMillis(2)))),
              Optional.empty(), Optional.empty(), Optional.empty(), new RoundSample(0, 3, 1, 2_000_000)),
          HealthState.initial(0), RemedyState.initial());
    }
    metrics.remedied("t3", new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.SUCCESS, "", Duration.ofMillis(300)), "down");
    server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), registry.getPrometheusRegistry(), () -> null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The JVM's memory gauges and the process' figures move between two scrapes; everything else must be the same. */
  private static String steady(String scrape) {
    return scrape.lines().filter(line -> !line.startsWith("jvm_") && !line.startsWith("process_"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void aScrapeOverHttpIsTheRegistrysOwnScrape() throws Exception {
    HttpResponse<byte[]> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(body).contains("tunnelwatch_probes_total{", "jvm_memory_used_bytes{", "tunnelwatch_remediation_duration_seconds_bucket{");
    assertThat(steady(body)).isEqualTo(steady(registry.scrape()));
    assertThat(body.lines().filter(l -> l.startsWith("jvm_")).count())
        .isEqualTo(registry.scrape().lines().filter(l -> l.startsWith("jvm_")).count());
  }

  @Test
  void aClientThatAcceptsGzipGetsTheSameScrapeGzipped() throws Exception {
    HttpResponse<byte[]> response = get("/metrics", "Accept-Encoding", "deflate, gzip;q=0.8");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    String body;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(steady(body)).isEqualTo(steady(registry.scrape()));
  }

  @Test
  void gzipRefusedWithQZeroIsNotUsed() throws Exception {
    HttpResponse<byte[]> response = get("/metrics", "Accept-Encoding", "gzip;q=0");
    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("tunnelwatch_tunnel_up{");
  }

  @Test
  void openMetricsAskedForIsTheRegistrysOwnOpenMetricsWithOneEof() throws Exception {
    HttpResponse<byte[]> response = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(response.headers().firstValue("Content-Type")).contains("application/openmetrics-text; version=1.0.0; charset=utf-8");
    String body = new String(response.body(), StandardCharsets.UTF_8);
    String whole = OpenMetricsTextFormatWriter.create().toDebugString(registry.getPrometheusRegistry().scrape());
    assertThat(steady(body)).isEqualTo(steady(whole));
    assertThat(body).endsWith("# EOF\n");
  }

  @Test
  void onlyAFamilysClosingEofIsDroppedWhateverTheWritesLookLike() throws IOException {
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    StreamingMetricsHandler.WithoutEof family = new StreamingMetricsHandler.WithoutEof(sink);
    family.write("a 1\n# EO".getBytes(StandardCharsets.US_ASCII));
    family.write('F');
    family.write("\n".getBytes(StandardCharsets.US_ASCII), 0, 1);
    family.endOfFamily();
    family.write("b 2\n".getBytes(StandardCharsets.US_ASCII));
    family.endOfFamily();
    family.write("# EOF".getBytes(StandardCharsets.US_ASCII));
    family.endOfFamily();

    assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("a 1\nb 2\n# EOF");
  }

  /**
   * Micrometer's meters do not declare their names, so every read of the registry collects all
   * of them: the scrape reads it once, not once per family.
   */
  @Test
  void aScrapeReadsMicrometersMetersOnce() throws Exception {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    io.micrometer.core.instrument.Gauge.builder("test_reads", reads, r -> r.incrementAndGet()).register(registry);

    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    assertThat(reads).hasValue(1);
    assertThat(get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0").statusCode()).isEqualTo(200);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aClientAskingForNothingInParticularGetsTheTextFormat() throws Exception {
    HttpResponse<byte[]> response = get("/metrics", "Accept", "*/*");
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("# EOF");
  }

  @Test
  void nameParametersSelectFamilies() throws Exception {
    HttpResponse<byte[]> response = get("/metrics?name[]=tunnelwatch_tunnel_up&name%5B%5D=tunnelwatch_probes_total");
    List<String> families = new String(response.body(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("# TYPE")).toList();
    assertThat(families).containsExactly("# TYPE tunnelwatch_probes_total counter", "# TYPE tunnelwatch_tunnel_up gauge");
  }

  @Test
  void headAnswersWithHeadersOnly() throws Exception {
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void acceptEncodingIsReadAsTheStandardSaysIt() throws IOException {
    assertThat(StreamingMetricsHandler.acceptsGzip(null)).isFalse();
    assertThat(StreamingMetricsHandler.acceptsGzip(List.of("identity"))).isFalse();
    assertThat(StreamingMetricsHandler.acceptsGzip(List.of("GZIP"))).isTrue();
    assertThat(StreamingMetricsHandler.acceptsGzip(List.of("br", "gzip; q=0.5"))).isTrue();
    assertThat(StreamingMetricsHandler.acceptsGzip(List.of("gzip;q=0.0"))).isFalse();
    assertThat(StreamingMetricsHandler.acceptsGzip(List.of("x-gzip"))).isFalse();
  }
}
