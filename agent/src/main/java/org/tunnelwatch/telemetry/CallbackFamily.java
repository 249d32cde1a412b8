package org.tunnelwatch.telemetry;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A counter or gauge family whose series a callback gives when scraped, as the client's {@code
 * CounterWithCallback} and {@code GaugeWithCallback} (which serve {@link #collect()}), and
 * written directly to {@code /metrics} ({@link DirectFamily}): the callback's series are put in
 * the snapshot's order by {@link SortedSeries} and written by {@link FamilyText}.
 *
 * <p>Thread-safe as its callback is.
 */
final class CallbackFamily implements DirectFamily {

  /** Receives a family's series: a value and its label values, in the order of the family's label names. */
  interface Sink {
    void call(double value, String... labelValues);
  }

  private final Collector client;
  private final String name;
  private final String help;
  private final boolean counter;
  private final String[] labelNames;
  private final Consumer<Sink> callback;

  private CallbackFamily(Collector client, String help, boolean counter, String[] labelNames, Consumer<Sink> callback) {
    this.client = client;
    this.name = client.getPrometheusName();
    this.help = help;
    this.counter = counter;
    this.labelNames = labelNames.clone();
    this.callback = callback;
  }

  /** A counter family; {@code name} as the client takes it (a {@code _total} is dropped). */
  static CallbackFamily counter(String name, String help, Consumer<Sink> callback, String... labelNames) {
    Collector client = CounterWithCallback.builder().name(name).help(help).labelNames(labelNames)
        .callback(cb -> callback.accept(cb::call)).build();
    return new CallbackFamily(client, help, true, labelNames, callback);
  }

  static CallbackFamily gauge(String name, String help, Consumer<Sink> callback, String... labelNames) {
    Collector client = GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames)
        .callback(cb -> callback.accept(cb::call)).build();
    return new CallbackFamily(client, help, false, labelNames, callback);
  }

  @Override
  public void write(FamilyText text) throws IOException {
    SortedSeries series = new SortedSeries(labelNames);
    callback.accept(series::add);
    if (series.size() == 0) {
      return;
    }
    series.sort();
    text.header(name, help, counter ? "counter" : "gauge");
    String suffix = counter ? "_total" : "";
    for (int i = 0; i < series.size(); i++) {
      text.sample(name, suffix, series.labelNames(), series.labelValues(i), series.value(i));
    }
  }

  @Override
  public MetricSnapshot collect() {
    return client.collect();
  }

  @Override
  public String getPrometheusName() {
    return name;
  }

  @Override
  public MetricType getMetricType() {
    return client.getMetricType();
  }

  @Override
  public Set<String> getLabelNames() {
    return client.getLabelNames();
  }
}
