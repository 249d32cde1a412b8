package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import org.junit.jupiter.api.Test;

/** {@link MicrometerConfig} answers as {@link PrometheusConfig#DEFAULT} does. */
class MicrometerConfigTest {

  @Test
  void everySettingIsTheDefaults() {
    PrometheusConfig ours = MicrometerConfig.INSTANCE;
    PrometheusConfig theirs = PrometheusConfig.DEFAULT;

    assertThat(ours.descriptions()).isEqualTo(theirs.descriptions());
    assertThat(ours.step()).isEqualTo(theirs.step());
    assertThat(ours.prefix()).isEqualTo(theirs.prefix());
    assertThat(ours.prometheusProperties()).isEqualTo(theirs.prometheusProperties());
    assertThat(ours.get("prometheus.descriptions")).isNull();
    assertThat(ours.validate().isValid()).isTrue();
  }
}
