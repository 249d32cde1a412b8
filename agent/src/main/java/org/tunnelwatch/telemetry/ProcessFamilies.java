package org.tunnelwatch.telemetry;

import com.sun.management.UnixOperatingSystemMXBean;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The standard {@code process_*} families, as the Prometheus client's {@code ProcessMetrics}
 * exports them: the same names, help, units and values from the same sources (the JDK's
 * operating system and runtime beans, {@code VmSize} and {@code VmRSS} of {@code
 * /proc/self/status}), a series left out when its source fails. What differs is the cost of a
 * scrape: {@code ProcessMetrics} looks every getter up by reflection and calls it through {@code
 * Method.invoke}, and reads the status file line by line and splits the line with a regular
 * expression, each scrape; in the agent's first minutes that code runs interpreted and was about a tenth of a
 * scrape at ten tunnels (docs/benchmarks.md). Here the getters are called on their interface and
 * the file is read in one piece. {@code ProcessFamiliesTest} holds it to the client's output.
 */
public final class ProcessFamilies {

  static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");
  /** The kernel writes the file, about 1.5 kB; the fields read come in its first half. */
  private static final int STATUS_MAX_BYTES = 16384;

  private ProcessFamilies() {}

  /** Registers the families; the memory ones only where {@code /proc/self/status} can be read, as the client does. */
  public static void register(PrometheusRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    CounterWithCallback.builder()
        .name("process_cpu_seconds_total")
        .help("Total user and system CPU time spent in seconds.")
        .unit(Unit.SECONDS)
        .callback(cb -> leftOutOnFailure(() -> {
          if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
            cb.call(Unit.nanosToSeconds(bean.getProcessCpuTime()));
          }
        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("process_start_time_seconds")
        .help("Start time of the process since unix epoch in seconds.")
        .unit(Unit.SECONDS)
        .callback(cb -> leftOutOnFailure(() -> cb.call(Unit.millisToSeconds(runtime.getStartTime()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("process_open_fds")
        .help("Number of open file descriptors.")
        .callback(cb -> leftOutOnFailure(() -> {
          if (os instanceof UnixOperatingSystemMXBean bean) {
            cb.call(bean.getOpenFileDescriptorCount());
          }
        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("process_max_fds")
        .help("Maximum number of open file descriptors.")
        .callback(cb -> leftOutOnFailure(() -> {
          if (os instanceof UnixOperatingSystemMXBean bean) {
            cb.call(bean.getMaxFileDescriptorCount());
          }
        }))
        .register(registry);
    if (Files.isReadable(PROC_SELF_STATUS)) {
      GaugeWithCallback.builder()
          .name("process_virtual_memory_bytes")
          .help("Virtual memory size in bytes.")
          .unit(Unit.BYTES)
          .callback(cb -> leftOutOnFailure(() -> kiloBytes("VmSize:").ifPresent(kb -> cb.call(Unit.kiloBytesToBytes(kb)))))
          .register(registry);
      GaugeWithCallback.builder()
          .name("process_resident_memory_bytes")
          .help("Resident memory size in bytes.")
          .unit(Unit.BYTES)
          .callback(cb -> leftOutOnFailure(() -> kiloBytes("VmRSS:").ifPresent(kb -> cb.call(Unit.kiloBytesToBytes(kb)))))
          .register(registry);
    }
  }

  /**
   * As the client: a value its source cannot give (or a counter's negative -1 for "unsupported",
   * which the snapshot refuses) leaves the series out of the scrape instead of failing it.
   */
  private static void leftOutOnFailure(Runnable series) {
    try {
      series.run();
    } catch (RuntimeException e) {
      // left out
    }
  }

  private static OptionalLong kiloBytes(String field) {
    try (InputStream in = Files.newInputStream(PROC_SELF_STATUS)) {
      return kiloBytes(new String(in.readNBytes(STATUS_MAX_BYTES), StandardCharsets.ISO_8859_1), field);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The number of the line of {@code status} that starts with {@code field} ({@code "VmRSS:
   * 1234 kB"}: 1234), empty without one. String searches rather than a loop over the bytes here:
   * they are the JDK's compiled code while this runs interpreted.
   */
  static OptionalLong kiloBytes(String status, String field) {
    int at = status.startsWith(field) ? 0 : status.indexOf("\n" + field);
    if (at < 0) {
      return OptionalLong.empty();
    }
    int start = at == 0 ? field.length() : at + 1 + field.length();
    int end = status.indexOf('\n', start);
    String[] words = status.substring(start, end < 0 ? status.length() : end).trim().split(" ");
    try {
      return OptionalLong.of(Long.parseLong(words[0]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
