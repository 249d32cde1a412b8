package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A classic histogram family of {@link BucketHistogram} series by label values, collected at
 * scrape time (the client library has no histogram with a callback).
 */
final class HistogramFamily implements Collector {

  private final MetricMetadata metadata;
  private final String[] labelNames;
  private final double[] upperBounds;
  private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

  /** A series and its labels, made once rather than sorted and checked again at every scrape. */
  private record Series(Labels labels, BucketHistogram histogram) {}

  private HistogramFamily(String name, String help, double[] bounds, String... labelNames) {
    this.metadata = new MetricMetadata(name, help, null);
    this.labelNames = labelNames.clone();
    this.upperBounds = Arrays.copyOf(bounds, bounds.length + 1);
    upperBounds[bounds.length] = Double.POSITIVE_INFINITY;
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
    return series.computeIfAbsent(List.of(values), v -> new Series(Labels.of(labelNames, values), new BucketHistogram(upperBounds)))
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
