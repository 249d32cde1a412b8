package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Makes Micrometer's JVM and system meters follow the Prometheus naming conventions, so that
 * {@code promtool check metrics} finds nothing in a scrape of the agent. Two of Micrometer's
 * names break them:
 *
 * <ul>
 *   <li>{@code process_cpu_time_ns_total}: an abbreviated, non-base unit. It is left out: the
 *       agent's ProcessFamilies (the Prometheus client's ProcessMetrics, cheaper) exports the conventional {@code
 *       process_cpu_seconds_total} with the rest of the {@code process_*} family.
 *   <li>{@code system_cpu_count}: a gauge with the {@code _count} suffix reserved for histograms
 *       and summaries. It is renamed {@code system_cpus}.
 * </ul>
 *
 * <p>Call {@link #apply} before any meter is bound: filters apply only to meters registered
 * after them.
 */
public final class PrometheusConventions {

  private PrometheusConventions() {}

  public static void apply(MeterRegistry registry) {
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
  }
}
