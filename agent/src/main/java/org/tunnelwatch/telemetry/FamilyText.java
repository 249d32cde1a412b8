package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a tunnel family's snapshot (see {@link StreamedFamilies}) in the text format 0.0.4 or
 * in OpenMetrics, byte for byte as the Prometheus client's writers do, for what those families
 * hold: counters, gauges and classic histograms, with names that need no quoting, no exemplars
 * and no timestamps (most of the registry's other families are of that kind too). {@link #canWrite} says whether a snapshot is of that kind; any
 * other goes to the client's writer. The client's writer checks every name and label name of
 * every line and encodes through a {@code Writer}; at a thousand tunnels these families are most
 * of a scrape, and here they cost a tenth of that. {@code FamilyTextTest} holds it to the
 * client's output.
 *
 * <p>Not thread-safe; one per response.
 */
final class FamilyText {

  private final OutputStream out;
  private final boolean openMetrics;
  private final byte[] buffer = new byte[8192];
  private int used;

  FamilyText(OutputStream out, boolean openMetrics) {
    this.out = out;
    this.openMetrics = openMetrics;
  }

  /** Whether {@link #write} writes {@code snapshot} as the client's writer would. */
  static boolean canWrite(MetricSnapshot snapshot) {
    MetricMetadata metadata = snapshot.getMetadata();
    if (!metadata.getName().equals(metadata.getPrometheusName())
        || !PrometheusNaming.isValidLegacyMetricName(metadata.getName())
        || metadata.getHelp() == null
        || metadata.getHelp().isEmpty()) {
      return false;
    }
    if (!(snapshot instanceof CounterSnapshot || snapshot instanceof GaugeSnapshot || snapshot instanceof HistogramSnapshot)) {
      return false;
    }
    String[] checked = new String[0];
    for (DataPointSnapshot point : snapshot.getDataPoints()) {
      if (point.hasScrapeTimestamp() || point.hasCreatedTimestamp() || !plain(point)) {
        return false;
      }
      Labels labels = point.getLabels();
      if (labels.size() != checked.length) {
        checked = new String[labels.size()];
      }
      for (int i = 0; i < labels.size(); i++) {
        String name = labels.getName(i);
        if (!name.equals(checked[i])) { // the same names on every point: checked once
          if (!PrometheusNaming.isValidLegacyLabelName(name) || !name.equals(labels.getPrometheusName(i))) {
            return false;
          }
          checked[i] = name;
        }
      }
    }
    return true;
  }

  private static boolean plain(DataPointSnapshot point) {
    if (point instanceof CounterDataPointSnapshot counter) {
      return counter.getExemplar() == null;
    }
    if (point instanceof GaugeDataPointSnapshot gauge) {
      return gauge.getExemplar() == null;
    }
    HistogramDataPointSnapshot histogram = (HistogramDataPointSnapshot) point;
    return histogram.getExemplars().size() == 0 && histogram.hasClassicHistogramData() && !histogram.hasNativeHistogramData()
        && histogram.hasCount() && histogram.hasSum();
  }

  /** Writes a snapshot {@link #canWrite} accepted; nothing for one without data points. */
  void write(MetricSnapshot snapshot) throws IOException {
    if (snapshot.getDataPoints().isEmpty()) {
      return;
    }
    String name = snapshot.getMetadata().getName();
    if (snapshot instanceof CounterSnapshot counter) {
      metadata(snapshot.getMetadata(), "counter", openMetrics ? name : name + "_total");
      for (CounterDataPointSnapshot point : counter.getDataPoints()) {
        sample(name, "_total", point.getLabels());
        value(point.getValue());
      }
    } else if (snapshot instanceof GaugeSnapshot gauge) {
      metadata(snapshot.getMetadata(), "gauge", name);
      for (GaugeDataPointSnapshot point : gauge.getDataPoints()) {
        sample(name, "", point.getLabels());
        value(point.getValue());
      }
    } else {
      metadata(snapshot.getMetadata(), "histogram", name);
      for (HistogramDataPointSnapshot point : ((HistogramSnapshot) snapshot).getDataPoints()) {
        histogram(name, point);
      }
    }
  }

  /** Sends what is buffered on to the response. */
  void flush() throws IOException {
    out.write(buffer, 0, used);
    used = 0;
  }

  /**
   * The {@code # HELP} and {@code # TYPE} lines of a family written series by series ({@link
   * DirectFamily}), as {@link #write} writes them: {@code type} is {@code counter}, {@code gauge}
   * or {@code histogram}; {@code name} without a counter's {@code _total}.
   */
  void header(String name, String help, String type) throws IOException {
    metadata(help, null, type, type.equals("counter") && !openMetrics ? name + "_total" : name);
  }

  /** One line of a counter ({@code suffix} {@code _total}) or gauge ({@code suffix} empty). */
  void sample(String name, String suffix, String[] labelNames, String[] labelValues, double value) throws IOException {
    sample(name, suffix, labelNames, labelValues);
    value(value);
  }

  /**
   * The unchanging parts of a histogram family's lines, made once: the name with {@code _bucket}
   * and the opening brace, each bucket's {@code le} label with the closing brace and space
   * ({@code Double.toString} of a bound is dear), the names with {@code _count} and {@code _sum}.
   */
  record HistogramText(byte[] bucket, byte[][] bounds, byte[] count, byte[] sum) {}

  static HistogramText histogramText(String name, double[] upperBounds) {
    byte[][] bounds = new byte[upperBounds.length][];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = ("le=\"" + numberText(upperBounds[i]) + "\"} ").getBytes(StandardCharsets.UTF_8);
    }
    return new HistogramText(ascii(name + "_bucket{"), bounds, ascii(name + "_count"), ascii(name + "_sum"));
  }

  /**
   * A series' labels as they appear between the braces, {@code a="x",b="y"} (names in the order
   * given, values escaped), made once for a series whose labels never change.
   */
  static byte[] labelText(String[] names, String[] values) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      String value = values[i];
      boolean escapes = value.indexOf('\\') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('"') >= 0;
      text.append(names[i]).append("=\"").append(escapes ? escape(value, true) : value).append('"');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One series of a classic histogram: {@code labels} from {@link #labelText}, {@code counts}
   * per bucket (not cumulative) for the family's {@code parts}.
   */
  void histogram(HistogramText parts, byte[] labels, long[] counts, double sum) throws IOException {
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      bytes(parts.bucket()).bytes(labels);
      if (labels.length > 0) {
        put(',');
      }
      bytes(parts.bounds()[i]).text(Long.toString(cumulative)).put('\n');
    }
    bytes(parts.count());
    braced(labels);
    text(Long.toString(cumulative)).put('\n');
    bytes(parts.sum());
    braced(labels);
    value(sum);
  }

  private void braced(byte[] labels) throws IOException {
    if (labels.length > 0) {
      put('{').bytes(labels).put('}');
    }
    put(' ');
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void sample(String name, String suffix, String[] labelNames, String[] labelValues) throws IOException {
    text(name).text(suffix);
    if (labelNames.length > 0) {
      put('{');
      labels(labelNames, labelValues);
      put('}');
    }
    put(' ');
  }

  private void labels(String[] names, String[] values) throws IOException {
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        put(',');
      }
      text(names[i]).text("=\"").escaped(values[i], true).put('"');
    }
  }

  private void metadata(MetricMetadata metadata, String type, String shownName) throws IOException {
    metadata(metadata.getHelp(), metadata.getUnit() == null ? null : metadata.getUnit().toString(), type, shownName);
  }

  /** Help, type and, in OpenMetrics only, the unit ({@code null}: none), in each format's order. */
  private void metadata(String help, String unit, String type, String shownName) throws IOException {
    if (openMetrics) {
      text("# TYPE ").text(shownName).put(' ').text(type).put('\n');
      if (unit != null) {
        text("# UNIT ").text(shownName).put(' ').text(unit).put('\n');
      }
      text("# HELP ").text(shownName).put(' ').escaped(help, true).put('\n');
    } else {
      text("# HELP ").text(shownName).put(' ').escaped(help, false).put('\n');
      text("# TYPE ").text(shownName).put(' ').text(type).put('\n');
    }
  }

  private void histogram(String name, HistogramDataPointSnapshot point) throws IOException {
    ClassicHistogramBuckets buckets = point.getClassicBuckets();
    long cumulative = 0;
    for (int i = 0; i < buckets.size(); i++) {
      cumulative += buckets.getCount(i);
      text(name).text("_bucket{");
      labels(point.getLabels());
      if (!point.getLabels().isEmpty()) {
        put(',');
      }
      text("le=\"");
      number(buckets.getUpperBound(i));
      text("\"} ");
      text(Long.toString(cumulative)).put('\n');
    }
    sample(name, "_count", point.getLabels());
    text(Long.toString(point.getCount())).put('\n');
    sample(name, "_sum", point.getLabels());
    value(point.getSum());
  }

  private void sample(String name, String suffix, Labels labels) throws IOException {
    text(name).text(suffix);
    if (!labels.isEmpty()) {
      put('{');
      labels(labels);
      put('}');
    }
    put(' ');
  }

  private void labels(Labels labels) throws IOException {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        put(',');
      }
      text(labels.getName(i)).text("=\"").escaped(labels.getValue(i), true).put('"');
    }
  }

  private void value(double value) throws IOException {
    number(value);
    put('\n');
  }

  /**
   * As the client's {@code writeDouble}: {@code +Inf}, {@code -Inf}, else {@link
   * Double#toString}, which for a whole number below ten million in size is its digits and
   * {@code .0} (most counters), written here without making a string.
   */
  private void number(double value) throws IOException {
    if (value == (long) value && Math.abs(value) < 1e7 && Double.doubleToRawLongBits(value) != Long.MIN_VALUE) {
      text(Long.toString((long) value)).text(".0");
    } else {
      text(numberText(value));
    }
  }

  private static String numberText(double value) {
    if (value == Double.POSITIVE_INFINITY) {
      return "+Inf";
    } else if (value == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    return Double.toString(value);
  }

  /**
   * A label value or help text with backslash and newline escaped, and the double quote too
   * where {@code quote} (label values, and OpenMetrics' help), UTF-8.
   */
  private FamilyText escaped(String s, boolean quote) throws IOException {
    boolean escapes = s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0 || (quote && s.indexOf('"') >= 0);
    return utf8(escapes ? escape(s, quote) : s);
  }

  private static String escape(String s, boolean quote) {
    StringBuilder escaped = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> escaped.append("\\\\");
        case '\n' -> escaped.append("\\n");
        case '"' -> escaped.append(quote ? "\\\"" : "\"");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * A string of ASCII only: names, label names, suffixes, numbers and the format's own words (the
   * text format allows nothing else there; {@link #canWrite} checks the client's names, and a
   * {@link DirectFamily}'s are the agent's own). Copied into the buffer as it is, by the JDK's
   * array copy, where {@link #utf8} would make a byte array per string: at ten tunnels those
   * arrays were a sixth of what a scrape allocated.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) takes each char's low byte: right for ASCII
  private FamilyText text(String s) throws IOException {
    int length = s.length();
    if (length > buffer.length - used) {
      flush();
      if (length > buffer.length) {
        return utf8(s);
      }
    }
    s.getBytes(0, length, buffer, used);
    used += length;
    return this;
  }

  /**
   * Any string, UTF-8 (label values, help). Through the JDK's own encoder and array copy rather
   * than a loop here: the first scrapes run this code interpreted, the JDK's is compiled.
   */
  private FamilyText utf8(String s) throws IOException {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private FamilyText bytes(byte[] b) throws IOException {
    if (b.length > buffer.length - used) {
      flush();
      if (b.length > buffer.length) {
        out.write(b);
        return this;
      }
    }
    System.arraycopy(b, 0, buffer, used, b.length);
    used += b.length;
    return this;
  }

  private FamilyText put(char c) throws IOException {
    if (used == buffer.length) {
      flush();
    }
    buffer[used++] = (byte) c;
    return this;
  }
}
