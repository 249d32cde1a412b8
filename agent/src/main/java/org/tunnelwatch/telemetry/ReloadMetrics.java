package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/**
 * Whether the last configuration reload worked, the way Prometheus and Alertmanager export it:
 *
 * <pre>
 * tunnelwatch_config_last_reload_successful 1.0
 * tunnelwatch_config_last_reload_success_timestamp_seconds 1.7961984E9
 * </pre>
 *
 * The start counts as the first successful load. Thread-safe.
 */
public final class ReloadMetrics {

  private final GaugeValue successful = new GaugeValue(1);
  private final GaugeValue lastSuccess;

  public ReloadMetrics(MeterRegistry registry, Instant loadedAt) {
    this.lastSuccess = new GaugeValue(epochSeconds(loadedAt));
    Gauge.builder(MetricNames.CONFIG_LAST_RELOAD_SUCCESSFUL, successful, GaugeValue::get)
        .description("1 if the last configuration reload succeeded, 0 if the agent kept the previous configuration")
        .register(registry);
    Gauge.builder(MetricNames.CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP, lastSuccess, GaugeValue::get)
        .description("When the configuration in use was loaded, in seconds since the epoch")
        .register(registry);
  }

  public void succeeded(Instant at) {
    lastSuccess.set(epochSeconds(at));
    successful.set(1);
  }

  public void failed() {
    successful.set(0);
  }

  private static double epochSeconds(Instant at) {
    return at.getEpochSecond() + at.getNano() / 1e9;
  }
}
