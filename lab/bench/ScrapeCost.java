import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU one scrape costs a running exporter (the agent, node_exporter, anything on HTTP), read
 * from outside it: the scraping client is this JVM, so none of its own work counts. CPU is the
 * scheduler's run time of every thread of the process ({@code /proc/PID/task/* /schedstat}, in
 * nanoseconds), so a scrape of a few milliseconds is seen, where {@code /proc/PID/stat}'s ticks
 * are 10 ms; the process's background work (probing) is measured just before each scrape and
 * subtracted.
 *
 * <pre>java lab/bench/ScrapeCost.java PID URL [--cold N] [--idle S] [--warm N] [--cold-after N] [--format openmetrics|text] [--gzip yes|no]</pre>
 *
 * Three parts:
 *
 * <ul>
 *   <li>cold: N scrapes (default 5), each after S seconds (default 15) without one, as Prometheus
 *       scrapes every 15 s; whatever the process let go cold in between (its HTTP thread, code
 *       not yet compiled) is paid again.
 *   <li>warm: N scrapes (default 200) back to back after as many to warm up, the steady state of a
 *       process scraped often; their mean only.
 *   <li>cold again (--cold-after N, default 0): as cold, after the warm ones: what idleness alone
 *       costs once the scrape's code has been compiled.
 * </ul>
 *
 * The request is Prometheus 2.x's by default (OpenMetrics asked for first, gzip accepted). For
 * each part it prints the mean, median and maximum CPU per scrape, the body size, and the threads
 * that did the work (summed over the part's scrapes). Each scrape's window closes 300 ms after
 * the response, so that compilations it triggered are counted.
 */
public final class ScrapeCost {

  private static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  private static final long SETTLE_MILLIS = 300;

  private final long pid;
  private final String url;
  private final String accept;
  private final boolean gzip;

  private ScrapeCost(long pid, String url, String accept, boolean gzip) {
    this.pid = pid;
    this.url = url;
    this.accept = accept;
    this.gzip = gzip;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: java lab/bench/ScrapeCost.java PID URL [--cold N] [--idle S] [--warm N] [--cold-after N] [--format openmetrics|text] [--gzip yes|no]");
      System.exit(2);
    }
    Map<String, String> options = new HashMap<>(Map.of("--cold", "5", "--idle", "15", "--warm", "200", "--format", "openmetrics", "--gzip", "yes", "--cold-after", "0"));
    for (int i = 2; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        System.err.println("unknown option " + args[i]);
        System.exit(2);
      }
      options.put(args[i], args[i + 1]);
    }
    ScrapeCost cost = new ScrapeCost(
        Long.parseLong(args[0]), args[1], options.get("--format").equals("text") ? "text/plain" : PROMETHEUS_ACCEPT,
        options.get("--gzip").equals("yes"));
    System.out.printf("scraping %s (pid %d), Accept: %s, gzip %s; load %s%n",
        cost.url, cost.pid, options.get("--format"), options.get("--gzip"), Files.readString(Path.of("/proc/loadavg")).trim());
    int cold = Integer.parseInt(options.get("--cold"));
    int idleSeconds = Integer.parseInt(options.get("--idle"));
    if (cold > 0) {
      cost.part("cold (each after " + idleSeconds + " s idle)", cold, idleSeconds * 1000L);
    }
    int warm = Integer.parseInt(options.get("--warm"));
    if (warm > 0) {
      for (int i = 0; i < warm; i++) {
        cost.scrape();
      }
      cost.batch("warm (back to back, after " + warm + " to warm up)", warm);
    }
    int coldAfter = Integer.parseInt(options.get("--cold-after"));
    if (coldAfter > 0) {
      cost.part("cold again, after the warm ones (each after " + idleSeconds + " s idle)", coldAfter, idleSeconds * 1000L);
    }
    System.out.printf("load %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
  }

  /** Scrapes {@code count} times, each after {@code idleMillis}, and prints what they cost. */
  private void part(String label, int count, long idleMillis) throws Exception {
    long[] costs = new long[count];
    long bytes = 0;
    Map<String, Long> byThread = new HashMap<>();
    for (int i = 0; i < count; i++) {
      // The background rate is measured over the last second (or the whole idle time) before the scrape.
      long quiet = Math.max(1000, idleMillis);
      Thread.sleep(Math.max(0, idleMillis - quiet));
      Map<String, Long> t0 = threads();
      long n0 = System.nanoTime();
      Thread.sleep(quiet);
      Map<String, Long> t1 = threads();
      long n1 = System.nanoTime();
      bytes = scrape();
      Thread.sleep(SETTLE_MILLIS);
      Map<String, Long> t2 = threads();
      long n2 = System.nanoTime();
      double background = (double) total(t0, t1, null) / (n1 - n0);
      costs[i] = total(t1, t2, byThread) - Math.round(background * (n2 - n1));
    }
    long[] sorted = costs.clone();
    java.util.Arrays.sort(sorted);
    double mean = java.util.Arrays.stream(costs).average().orElse(0);
    System.out.printf(Locale.ROOT, "%s: %d scrapes, %d bytes each; CPU per scrape: mean %.2f ms, median %.2f ms, max %.2f ms%n",
        label, count, bytes, mean / 1e6, sorted[count / 2] / 1e6, sorted[count - 1] / 1e6);
    StringBuilder each = new StringBuilder("  each (ms):");
    if (count <= 20) {
      for (long c : costs) {
        each.append(String.format(Locale.ROOT, " %.2f", c / 1e6));
      }
      System.out.println(each);
    }
    print(byThread, count);
  }

  /** Scrapes {@code count} times back to back and prints the mean cost. */
  private void batch(String label, int count) throws Exception {
    Map<String, Long> t0 = threads();
    long n0 = System.nanoTime();
    Thread.sleep(2000);
    Map<String, Long> t1 = threads();
    long n1 = System.nanoTime();
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      bytes = scrape();
    }
    Thread.sleep(SETTLE_MILLIS);
    Map<String, Long> t2 = threads();
    long n2 = System.nanoTime();
    Map<String, Long> byThread = new HashMap<>();
    double background = (double) total(t0, t1, null) / (n1 - n0);
    long cost = total(t1, t2, byThread) - Math.round(background * (n2 - n1));
    System.out.printf(Locale.ROOT, "%s: %d scrapes, %d bytes each; CPU per scrape: mean %.2f ms (background %.2f %% of a core subtracted)%n",
        label, count, bytes, cost / 1e6 / count, background * 100);
    print(byThread, count);
  }

  private static void print(Map<String, Long> byThread, int count) {
    byThread.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-24s %8.2f ms per scrape%n", e.getKey(), e.getValue() / 1e6 / count));
  }

  /**
   * CPU between two snapshots, summed over threads; threads that started in between count whole,
   * threads that ended in between are lost (rare within a scrape). Adds each thread's share, by
   * name with its digits dropped, to {@code byThread} when given.
   */
  private static long total(Map<String, Long> before, Map<String, Long> after, Map<String, Long> byThread) {
    long sum = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      sum += delta;
      if (byThread != null && delta > 0) {
        String name = e.getKey().substring(e.getKey().indexOf(' ') + 1).replaceAll("[0-9]+", "N");
        byThread.merge(name, delta, Long::sum);
      }
    }
    return sum;
  }

  /** Run time in ns of every live thread, keyed by "tid name". */
  private Map<String, Long> threads() throws IOException {
    Map<String, Long> result = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          String schedstat = Files.readString(task.resolve("schedstat"));
          result.put(task.getFileName() + " " + name, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
        } catch (NoSuchFileException gone) {
          // ended while listed
        }
      }
    }
    return result;
  }

  /** One scrape as Prometheus makes it; returns the size of the body as sent. */
  private long scrape() throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestProperty("Accept", accept);
    if (gzip) {
      connection.setRequestProperty("Accept-Encoding", "gzip");
    }
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
}
