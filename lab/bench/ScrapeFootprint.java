import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.HealthMachine;
import org.tunnelwatch.health.HealthPolicy;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.AgentMetrics;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * The metrics' share of the agent's heap at 1,000 tunnels, without network or charon: builds
 * AgentMetrics for N tunnels (one target each, the default ladder of four rungs), feeds rounds,
 * then prints the live heap after a full GC, the size of one scrape over loopback HTTP, and the
 * CPU of the rounds and of a scrape. Run it with a small -Xmx to see whether a scrape fits.
 *
 * <pre>javac -d /tmp/sf -cp 'agent/target/tunnelwatch.jar:agent/target/lib/*' lab/bench/ScrapeFootprint.java
 * java -XX:+UseSerialGC -Xmx48m -cp '/tmp/sf:agent/target/tunnelwatch.jar:agent/target/lib/*' \
 *     ScrapeFootprint [TUNNELS] [ROUNDS] [text|openmetrics]</pre>
 *
 * The third argument picks the format the scrapes ask for: the text format (default) or
 * OpenMetrics, with the Accept header Prometheus sends.
 *
 * (Compiled first rather than run as a source file, so that javac's own garbage does not blur
 * the heap figures.)
 *
 * Uses only AgentMetrics' and AgentHttpServer's public API, so the same file measures older
 * builds (put their jar first on the class path).
 */
public final class ScrapeFootprint {

  private static final TunnelSettings DEFAULTS =
      TunnelSettings.builder()
          .interval(Duration.ofSeconds(2)).count(3).timeout(Duration.ofSeconds(1)).degradedLoss(0.1).degradedRtt(Duration.ZERO)
          .downAfter(3).upAfter(2).window(Duration.ofMinutes(1))
          .ladder(RemedyAction.REINITIATE, RemedyAction.REAUTH_IKE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE)
          .settle(Duration.ofSeconds(15)).maxActionsPerHour(6)
          .build();

  /** What Prometheus 2.x asks for. */
  private static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static String accept;

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    accept = args.length > 2 && args[2].equals("openmetrics") ? PROMETHEUS_ACCEPT : "text/plain";
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long heapBefore = liveHeap();

    PrometheusRegistry prometheus = new PrometheusRegistry();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus, Clock.SYSTEM);
    // The JVM meters the agent binds (Agent.bindJvmMetrics): Micrometer's collectors beside ours.
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
    long heapRegistry = liveHeap();
    List<TunnelConfig> tunnels = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InetAddress target = InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (i >> 8), (byte) i});
      tunnels.add(new TunnelConfig("tunnel-" + i, "ike-" + i, "child-" + i, InetAddress.getByName("198.19.0.1"),
          List.of(ProbeTarget.icmp(target)), Optional.of("wan"), DEFAULTS));
    }
    AgentMetrics metrics = new AgentMetrics(registry, TimeSource.system(), tunnels, List.of("wan"));
    AgentMetrics.RoundStarts[] starts = new AgentMetrics.RoundStarts[count];
    for (int i = 0; i < count; i++) {
      starts[i] = metrics.roundStarts(tunnels.get(i).name(), DEFAULTS.interval());
    }
    HealthMachine machine = new HealthMachine(HealthPolicy.from(DEFAULTS));
    HealthState[] health = new HealthState[count];
    java.util.Arrays.fill(health, HealthState.initial(0));
    List<Duration> rtt = List.of(Duration.ofMillis(1));

    long cpuRounds = os.getProcessCpuTime();
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < count; i++) {
        TunnelConfig tunnel = tunnels.get(i);
        starts[i].started();
        RoundSample sample = new RoundSample((r + 1) * 2_000_000_000L, 1, 1, 1_000_000);
        HealthState next = machine.next(health[i], sample);
        if (next.state() != health[i].state()) {
          metrics.stateChanged(tunnel.name(), health[i], next);
        }
        health[i] = next;
        metrics.roundCompleted(
            new TunnelRound(tunnel.name(), Instant.EPOCH, List.of(EchoResult.of(tunnel.targets().get(0).address(), 1, rtt)),
                Optional.empty(), Optional.empty(), Optional.empty(), sample),
            next, RemedyState.initial());
      }
    }
    cpuRounds = os.getProcessCpuTime() - cpuRounds;
    long heapAfter = liveHeap();

    try (AgentHttpServer server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), prometheus, () -> null)) {
      long bytes = 0;
      scrape(server.port()); // warm-up: class loading and the first compilations
      int scrapes = 5;
      long cpuScrape = os.getProcessCpuTime();
      for (int s = 0; s < scrapes; s++) {
        bytes = scrape(server.port());
      }
      cpuScrape = os.getProcessCpuTime() - cpuScrape;
      System.out.printf("tunnels %d, rounds %d each%n", count, rounds);
      System.out.printf("live heap after GC: %.1f MB at start, %.1f MB with the registry and JVM meters, %.1f MB with AgentMetrics fed (%.1f MB for it)%n",
          heapBefore / 1e6, heapRegistry / 1e6, heapAfter / 1e6, (heapAfter - heapRegistry) / 1e6);
      System.out.printf("CPU per tunnel round (roundStarting + roundCompleted, incl. the health machine): %.2f us%n",
          cpuRounds / 1e3 / ((double) count * rounds));
      System.out.printf("scrape (Accept: %s): %d bytes, %.1f ms of process CPU each (mean of %d after one warm-up, over loopback HTTP, client included)%n", accept, bytes, cpuScrape / 1e6 / scrapes, scrapes);
      System.out.printf("max heap %.0f MB: scrapes succeeded%n", Runtime.getRuntime().maxMemory() / 1e6);
    }
  }

  private static long scrape(int port) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    connection.setRequestProperty("Accept", accept);
    if (connection.getResponseCode() != 200) {
      throw new IllegalStateException("scrape answered " + connection.getResponseCode());
    }
    long bytes = 0;
    byte[] buffer = new byte[65536];
    try (InputStream in = connection.getInputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
      }
    }
    return bytes;
  }

  private static long liveHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
