package org.tunnelwatch.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tunnelwatch.telemetry.StreamedFamilies.FamilyByFamily;

/**
 * {@code /metrics}, written family by family as it is collected instead of built in one piece:
 * with a thousand tunnels a whole scrape is about 5 MB of text, and the Prometheus client's own
 * handler held its snapshot, the text and a copy at once (30 MB, more than the rest of the
 * agent's heap). Here the registry is read once, with a {@link FamilyByFamily} request: the
 * families that grow with the number of tunnels ({@link StreamedFamilies}) are only noted then,
 * and collected one at a time as their turn comes; the rest (Micrometer's meters and the
 * process' metrics, a few kilobytes however many tunnels there are) is held for the length of
 * the response. Reading the registry once matters: Micrometer's meters do not declare their
 * names, so every read collects all of them, the JVM's thread states included. The text goes
 * straight to the response body (chunked, gzipped when the client accepts it).
 *
 * <p>OpenMetrics when the {@code Accept} header asks for it (as Prometheus does), the Prometheus
 * text format 0.0.4 otherwise, both written by the Prometheus client's own writers. OpenMetrics
 * ends with one {@code # EOF}, which its writer puts after every family it is given: each
 * family's text passes through {@link WithoutEof}, which holds back its last six bytes and drops
 * them if they are that marker, and the marker is written once at the end. Families come in
 * name order, as in {@code PrometheusRegistry.scrape()}. {@code name[]=} parameters select
 * families as the client's handler does.
 *
 * <p>Thread-safe: holds no state between requests; the registry's collectors are thread-safe.
 */
final class StreamingMetricsHandler implements HttpHandler {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

  StreamingMetricsHandler(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    List<String> accept = exchange.getRequestHeaders().get("Accept");
    boolean asOpenMetrics = accept != null && openMetrics.accepts(String.join(",", accept));
    exchange.getResponseHeaders().set("Content-Type", asOpenMetrics ? openMetrics.getContentType() : CONTENT_TYPE);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    Predicate<String> wanted = nameFilter(exchange.getRequestURI().getRawQuery());
    boolean gzip = acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"));
    if (gzip) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    // One read of the registry: everything but the tunnel families, which are only noted.
    FamilyByFamily scrape = new FamilyByFamily();
    MetricSnapshots read = registry.scrape(wanted, scrape);
    SortedMap<String, Object> families = new TreeMap<>();
    for (MetricSnapshot snapshot : read) {
      families.put(snapshot.getMetadata().getPrometheusName(), snapshot);
    }
    for (StreamedFamilies streamed : scrape.deferred()) {
      for (String name : streamed.names()) {
        if (wanted.test(name)) {
          families.put(name, streamed);
        }
      }
    }
    exchange.sendResponseHeaders(200, 0); // chunked
    try (OutputStream body = exchange.getResponseBody();
        OutputStream out = new BufferedOutputStream(gzip ? new FastGzip(body) : body, 32768)) {
      Families writer = new Families(out, asOpenMetrics);
      for (Map.Entry<String, Object> entry : families.entrySet()) {
        if (entry.getValue() instanceof MetricSnapshot snapshot) {
          writer.add(snapshot);
        } else {
          StreamedFamilies streamed = (StreamedFamilies) entry.getValue();
          DirectFamily direct = streamed.direct(entry.getKey());
          if (direct != null) {
            writer.writeDirect(direct);
          } else {
            writer.writeAlone(streamed.collect(entry.getKey()));
          }
        }
      }
      writer.finish();
    }
  }

  /**
   * Writes one response's families in the order given, through {@link FamilyText} when it can
   * write them; the others are gathered and go out in one call of the client's writer (each call
   * costs it buffers of its own). A tunnel family writes itself ({@link DirectFamily}), so that
   * no snapshot of it, or only one at a time, is held.
   * Not thread-safe; one per response.
   */
  private final class Families {

    private final OutputStream out;
    private final WithoutEof withoutEof;
    private final FamilyText familyText;
    private final List<MetricSnapshot> gathered = new ArrayList<>();

    Families(OutputStream out, boolean asOpenMetrics) {
      this.out = out;
      this.withoutEof = asOpenMetrics ? new WithoutEof(out) : null;
      this.familyText = new FamilyText(out, asOpenMetrics);
    }

    /**
     * A family of the registry's read, through {@link FamilyText} when it can write it (most of
     * them: the client's writer checks every name of every line and costs buffers of its own per
     * call), else gathered for the client's writer.
     */
    void add(MetricSnapshot small) throws IOException {
      if (FamilyText.canWrite(small)) {
        writeGathered();
        familyText.write(small);
      } else {
        familyText.flush(); // what it holds precedes the gathered families
        gathered.add(small);
      }
    }

    /** A family collected on its own (one of the {@link StreamedFamilies}) that does not write itself. */
    void writeAlone(MetricSnapshot large) throws IOException {
      add(large);
      writeGathered(); // let its snapshot go
    }

    /** A family that writes itself, without a snapshot. */
    void writeDirect(DirectFamily family) throws IOException {
      writeGathered();
      family.write(familyText);
    }

    void finish() throws IOException {
      writeGathered();
      familyText.flush();
      if (withoutEof != null) {
        out.write(EOF);
      }
    }

    /** The gathered families through the client's writer; {@link FamilyText} holds nothing meanwhile. */
    private void writeGathered() throws IOException {
      if (gathered.isEmpty()) {
        return;
      }
      MetricSnapshots snapshots = new MetricSnapshots(gathered);
      if (withoutEof != null) {
        openMetrics.write(withoutEof, snapshots);
        withoutEof.endOfFamily();
      } else {
        text.write(out, snapshots);
      }
      gathered.clear();
    }
  }

  /**
   * gzip at its fastest level: on a small gateway a scrape's CPU matters more than the few more
   * bytes it sends (docs/benchmarks.md).
   */
  private static final class FastGzip extends GZIPOutputStream {

    FastGzip(OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  /**
   * Passes a family's OpenMetrics text through but for the {@code # EOF} line its writer ends it
   * with: the last six bytes are held back until the family ends, and dropped if they are that
   * line. Not thread-safe; one per response.
   */
  static final class WithoutEof extends FilterOutputStream {

    private final byte[] held = new byte[EOF.length];
    private int count;

    WithoutEof(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (count == held.length) {
        out.write(held[0]);
        System.arraycopy(held, 1, held, 0, held.length - 1);
        count--;
      }
      held[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len < held.length) {
        for (int i = 0; i < len; i++) {
          write(b[off + i]);
        }
        return;
      }
      out.write(held, 0, count); // all of it precedes the new bytes' last six
      out.write(b, off, len - held.length);
      System.arraycopy(b, off + len - held.length, held, 0, held.length);
      count = held.length;
    }

    /** The family is written: what is held goes out, unless it is the {@code # EOF} line. */
    void endOfFamily() throws IOException {
      if (!(count == held.length && Arrays.equals(held, EOF))) {
        out.write(held, 0, count);
      }
      count = 0;
    }

    @Override
    public void close() {
      // The response's stream is closed by its owner, not by the writer of one family.
    }
  }

  /** {@code name[]=a&name[]=b}: only those families (suffixes such as _total ignored), as MetricsHandler does. */
  static Predicate<String> nameFilter(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return MetricNameFilter.ALLOW_ALL;
    }
    List<String> names = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals("name[]")) {
        names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return names.isEmpty() ? MetricNameFilter.ALLOW_ALL : MetricNameFilter.builder().nameMustBeEqualTo(names).build();
  }

  static boolean acceptsGzip(List<String> acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String header : acceptEncoding) {
      for (String coding : header.split(",")) {
        String[] parts = coding.trim().toLowerCase(Locale.ROOT).split(";");
        if (parts[0].trim().equals("gzip") && !refused(parts)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean refused(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().replace(" ", "");
      if (param.startsWith("q=")) {
        try {
          return Double.parseDouble(param.substring(2)) <= 0;
        } catch (NumberFormatException e) {
          return true;
        }
      }
    }
    return false;
  }
}
