package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The families whose size grows with the number of tunnels ({@link TunnelFamilies}, {@link
 * TunnelHistograms}), registered in the Prometheus registry as one collector that declares their
 * names. To the registry and its scrapes they are ordinary families. {@code /metrics} ({@link
 * StreamingMetricsHandler}) asks for them with a {@link FamilyByFamily} request instead: then
 * this collector collects nothing and hands itself over, and the handler collects its families
 * one at a time while writing, so that only one of them is held at once. Everything else in the
 * registry (Micrometer's meters, which do not declare their names and are collected whole by
 * every read of the registry) is then collected once per scrape instead of once per family.
 *
 * <p>Families are added before {@link #register}, and not after. Thread-safe once registered:
 * the set of families no longer changes and each collector is thread-safe.
 */
final class StreamedFamilies implements MultiCollector {

  private final SortedMap<String, Collector> families = new TreeMap<>();
  private boolean registered;

  /** Adds a family; before {@link #register} only. */
  void add(Collector family) {
    if (registered) {
      throw new IllegalStateException("families are added before the collector is registered");
    }
    if (families.putIfAbsent(family.getPrometheusName(), family) != null) {
      throw new IllegalArgumentException("family registered twice: " + family.getPrometheusName());
    }
  }

  /** Registers every family added so far in {@code registry}, which checks their names. */
  void register(PrometheusRegistry registry) {
    registered = true;
    registry.register(this);
  }

  /** The families' names, in order. */
  Set<String> names() {
    return families.keySet();
  }

  /** Collects the one family {@code name}. */
  MetricSnapshot collect(String name) {
    return families.get(name).collect();
  }

  /** The family {@code name} if it writes itself ({@link DirectFamily}), else null. */
  DirectFamily direct(String name) {
    return families.get(name) instanceof DirectFamily direct ? direct : null;
  }

  @Override
  public MetricSnapshots collect() {
    return collect(name -> true);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (Map.Entry<String, Collector> family : families.entrySet()) {
      if (includedNames.test(family.getKey())) {
        snapshots.add(family.getValue().collect());
      }
    }
    return new MetricSnapshots(snapshots);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
    if (request instanceof FamilyByFamily scrape) {
      scrape.later(this);
      return MetricSnapshots.of();
    }
    return collect(includedNames);
  }

  @Override
  public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
    return families.values().stream().map(Collector::getMetricFamilyDescriptor).toList();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.copyOf(families.keySet());
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    Collector family = families.get(prometheusName);
    return family == null ? null : family.getMetricType();
  }

  @Override
  public Set<String> getLabelNames(String prometheusName) {
    Collector family = families.get(prometheusName);
    return family == null ? null : family.getLabelNames();
  }

  @Override
  public MetricMetadata getMetadata(String prometheusName) {
    Collector family = families.get(prometheusName);
    return family == null ? null : family.getMetadata();
  }

  /**
   * A scrape that writes the {@link StreamedFamilies} it meets one family at a time, after the
   * registry's read: they are noted here instead of collected. Not thread-safe; one per request.
   */
  static final class FamilyByFamily implements PrometheusScrapeRequest {

    private final List<StreamedFamilies> deferred = new ArrayList<>();

    void later(StreamedFamilies families) {
      deferred.add(families);
    }

    /** The collectors met in the registry's read. */
    List<StreamedFamilies> deferred() {
      return deferred;
    }

    @Override
    public String getRequestPath() {
      return "/metrics";
    }

    /** No collector in the agent reads request parameters. */
    @Override
    public String[] getParameterValues(String name) {
      return null;
    }
  }
}
