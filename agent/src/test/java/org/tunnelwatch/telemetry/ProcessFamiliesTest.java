package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ProcessFamilies} exports what the client's {@code ProcessMetrics} exports. */
class ProcessFamiliesTest {

  /** The values that move between two reads: CPU time, memory, descriptors. */
  private static final Pattern MOVING =
      Pattern.compile("^(process_(cpu_seconds_total|resident_memory_bytes|virtual_memory_bytes|open_fds)) (\\S+)$", Pattern.MULTILINE);

  @Test
  void theSameFamiliesHelpUnitsAndSteadyValuesAsTheClientsInBothFormats() throws IOException {
    PrometheusRegistry ours = new PrometheusRegistry();
    ProcessFamilies.register(ours);
    PrometheusRegistry clients = new PrometheusRegistry();
    ProcessMetrics.builder().register(clients);

    for (Function<MetricSnapshots, String> format : List.<Function<MetricSnapshots, String>>of(ProcessFamiliesTest::text, ProcessFamiliesTest::openMetrics)) {
      String expected = format.apply(clients.scrape());
      String actual = format.apply(ours.scrape());
      assertThat(masked(actual)).isEqualTo(masked(expected));
      assertThat(actual).contains("process_start_time_seconds ", "process_max_fds ", "process_resident_memory_bytes ");
    }
  }

  @Test
  void movingValuesAreCloseToTheClients() {
    PrometheusRegistry ours = new PrometheusRegistry();
    ProcessFamilies.register(ours);
    PrometheusRegistry clients = new PrometheusRegistry();
    ProcessMetrics.builder().register(clients);

    String expected = text(clients.scrape());
    String actual = text(ours.scrape());

    Matcher e = MOVING.matcher(expected);
    Matcher a = MOVING.matcher(actual);
    while (e.find()) {
      assertThat(a.find()).isTrue();
      assertThat(a.group(1)).isEqualTo(e.group(1));
      double theirs = Double.parseDouble(e.group(3));
      double mine = Double.parseDouble(a.group(3));
      assertThat(mine).as(a.group(1)).isBetween(theirs * 0.5, theirs * 2 + 16);
    }
  }

  @Test
  void aStatusFieldIsReadInKiloBytes() {
    String status = "Name:\tjava\nVmPeak:\t 3907204 kB\nVmSize:\t 3841668 kB\nVmRSS:\t   97556 kB\nThreads:\t31\n";

    assertThat(ProcessFamilies.kiloBytes(status, "VmSize:")).isEqualTo(OptionalLong.of(3841668));
    assertThat(ProcessFamilies.kiloBytes(status, "VmRSS:")).isEqualTo(OptionalLong.of(97556));
    assertThat(ProcessFamilies.kiloBytes(status, "Name:")).isEmpty();
    assertThat(ProcessFamilies.kiloBytes(status, "VmSwap:")).isEmpty();
    assertThat(ProcessFamilies.kiloBytes("VmRSS:\t 12 kB", "VmRSS:")).isEqualTo(OptionalLong.of(12));
    assertThat(ProcessFamilies.kiloBytes("VmRSS:", "VmRSS:")).isEmpty();
    assertThat(ProcessFamilies.kiloBytes("", "VmRSS:")).isEmpty();
  }

  private static String masked(String scrape) {
    return MOVING.matcher(scrape).replaceAll("$1 N");
  }

  private static String text(MetricSnapshots snapshots) {
    return written(snapshots, false);
  }

  private static String openMetrics(MetricSnapshots snapshots) {
    return written(snapshots, true);
  }

  private static String written(MetricSnapshots snapshots, boolean openMetrics) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (openMetrics) {
        OpenMetricsTextFormatWriter.create().write(out, snapshots);
      } else {
        PrometheusTextFormatWriter.create().write(out, snapshots);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
