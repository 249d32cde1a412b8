package org.tunnelwatch.telemetry;

import io.micrometer.prometheusmetrics.PrometheusConfig;

/**
 * Micrometer's Prometheus settings: {@link PrometheusConfig#DEFAULT}'s, with the one asked for
 * per meter at every scrape answered directly. The default answers {@code descriptions()} by
 * building the property name {@code prometheus.descriptions}, looking it up (nothing is ever
 * set) and validating the answer, once per meter and scrape: about sixty times a scrape, run
 * interpreted in the agent's first minutes.
 */
public final class MicrometerConfig implements PrometheusConfig {

  public static final MicrometerConfig INSTANCE = new MicrometerConfig();

  private MicrometerConfig() {}

  /** No property is set, as with {@link PrometheusConfig#DEFAULT}. */
  @Override
  public String get(String key) {
    return null;
  }

  /** {@link PrometheusConfig#DEFAULT}'s answer: help text from the meters' descriptions. */
  @Override
  public boolean descriptions() {
    return true;
  }
}
