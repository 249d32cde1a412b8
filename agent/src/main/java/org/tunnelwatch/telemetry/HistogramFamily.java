package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One histogram family (classic buckets) of many {@link FixedBucketHistogram}s, collected at
 * scrape time: the Prometheus client has no histogram with a callback, so this is the small
 * collector that walks the histograms and copies each into a data point.
 *
 * <p>Thread-safe as far as the walk is: the walk must hold each histogram's owner's lock while it
 * hands the histogram to the {@link Sink}, which copies it at once.
 */
final class HistogramFamily implements Collector {

  /** Takes one histogram and its label values, in the order of the family's label names. */
  interface Sink {
    void histogram(FixedBucketHistogram histogram, String... labelValues);
  }

  private final MetricMetadata metadata;
  private final String[] labelNames;
  private final Consumer<Sink> walk;

  HistogramFamily(String name, String help, List<String> labelNames, Consumer<Sink> walk) {
    this.metadata = new MetricMetadata(name, help, null);
    this.labelNames = labelNames.toArray(String[]::new);
    this.walk = walk;
  }

  @Override
  public HistogramSnapshot collect() {
    List<HistogramDataPointSnapshot> points = new ArrayList<>();
    walk.accept(
        (histogram, labelValues) ->
            points.add(
                new HistogramDataPointSnapshot(
                    histogram.buckets(), histogram.sumSeconds(), Labels.of(labelNames, labelValues), Exemplars.EMPTY, 0)));
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
