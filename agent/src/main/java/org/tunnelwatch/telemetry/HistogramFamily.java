package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A classic histogram family of {@link BucketHistogram} series by label values, collected at
 * scrape time (the client library has no histogram with a callback). {@code /metrics} writes it
 * without a snapshot ({@link DirectFamily}), series in the snapshot's order (by labels).
 */
final class HistogramFamily implements DirectFamily {

  private final MetricMetadata metadata;
  private final String[] labelNames;
  private final double[] upperBounds;
  private final FamilyText.HistogramText text;
  private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

  /**
   * A series and its labels, made once rather than sorted and checked again at every scrape; the
   * labels also as the text {@link #write} writes.
   */
  private record Series(Labels labels, byte[] labelText, BucketHistogram histogram) {

    static Series of(Labels labels, BucketHistogram histogram) {
      String[] names = new String[labels.size()];
      String[] values = new String[labels.size()];
      for (int i = 0; i < labels.size(); i++) {
        names[i] = labels.getName(i);
        values[i] = labels.getValue(i);
      }
      return new Series(labels, FamilyText.labelText(names, values), histogram);
    }
  }

  private HistogramFamily(String name, String help, double[] bounds, String... labelNames) {
    this.metadata = new MetricMetadata(name, help, null);
    this.labelNames = labelNames.clone();
    this.upperBounds = Arrays.copyOf(bounds, bounds.length + 1);
    upperBounds[bounds.length] = Double.POSITIVE_INFINITY;
    this.text = FamilyText.histogramText(name, upperBounds);
  }

  /**
   * A family with the buckets {@code bounds} (seconds, increasing; {@code +Inf} is added), added to
   * {@code families}.
   */
  static HistogramFamily addTo(
      StreamedFamilies families, String name, String help, double[] bounds, String... labelNames) {
    HistogramFamily family = new HistogramFamily(name, help, bounds, labelNames);
    families.add(family);
    return family;
  }

  /** The series of these label values, made at zero the first time. */
  BucketHistogram labelValues(String... values) {
    return series.computeIfAbsent(List.of(values), v -> Series.of(Labels.of(labelNames, values), new BucketHistogram(upperBounds)))
        .histogram();
  }

  void remove(String... values) {
    series.remove(List.of(values));
  }

  void removeIf(Predicate<List<String>> labelValues) {
    series.keySet().removeIf(labelValues);
  }

  @Override
  public HistogramSnapshot collect() {
    List<HistogramDataPointSnapshot> points = new ArrayList<>(series.size());
    for (Series one : series.values()) {
      BucketHistogram.Snapshot s = one.histogram().snapshot();
      points.add(new HistogramDataPointSnapshot(s.buckets(), s.sum(), one.labels(), Exemplars.EMPTY, 0));
    }
    return new HistogramSnapshot(metadata, points);
  }

  @Override
  public void write(FamilyText out) throws IOException {
    Series[] ordered = series.values().toArray(new Series[0]);
    if (ordered.length == 0) {
      return;
    }
    Arrays.sort(ordered, (a, b) -> a.labels().compareTo(b.labels()));
    out.header(metadata.getPrometheusName(), metadata.getHelp(), "histogram");
    long[] counts = new long[upperBounds.length];
    for (Series one : ordered) {
      double sum = one.histogram().copyInto(counts);
      out.histogram(text, one.labelText(), counts, sum);
    }
  }

  @Override
  public String getPrometheusName() {
    return metadata.getPrometheusName();
  }

  @Override
  public MetricType getMetricType() {
    return MetricType.HISTOGRAM;
  }

  @Override
  public Set<String> getLabelNames() {
    return Set.of(labelNames);
  }
}
