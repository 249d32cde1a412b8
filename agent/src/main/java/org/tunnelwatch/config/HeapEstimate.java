package org.tunnelwatch.config;

import java.util.Optional;

/**
 * Whether a configuration fits the heap the agent is given. Past it the agent dies of
 * OutOfMemoryError within its first minute (the shipped options exit on it) and systemd restarts
 * it again and again, so {@code check-config} (run through the launcher, with the agent's JVM
 * options) and the agent's start warn. The figures are measured with {@code lab/heap-capacity} (docs/benchmarks.md)
 * and err on the side of warning early. Pure.
 */
public final class HeapEstimate {

  /** The agent with no tunnel: classes, Quartz, Micrometer's registry, the HTTP server. */
  static final long BASE_BYTES = 6_000_000;
  /** One tunnel with one target: its supervisor, windows, meters and series, a scrape's share. */
  static final long TUNNEL_BYTES = 7_168;
  /** Each target after a tunnel's first. */
  static final long EXTRA_TARGET_BYTES = 2_048;

  private HeapEstimate() {}

  /** About how much heap {@code config} needs. */
  public static long neededBytes(AgentConfig config) {
    long tunnels = config.tunnels().size();
    long extraTargets = config.tunnels().stream().mapToLong(t -> Math.max(0, t.targets().size() - 1)).sum();
    return BASE_BYTES + tunnels * TUNNEL_BYTES + extraTargets * EXTRA_TARGET_BYTES;
  }

  /**
   * A warning when {@code config} needs more than {@code maxHeapBytes} (the JVM's {@code
   * Runtime.maxMemory()}, which is -Xmx less a survivor space), with the -Xmx that would do.
   */
  public static Optional<String> warning(AgentConfig config, long maxHeapBytes) {
    long needed = neededBytes(config);
    if (needed <= maxHeapBytes) {
      return Optional.empty();
    }
    // -Xmx is about a tenth more than maxMemory() with the serial collector: one survivor space.
    long xmxMb = (needed * 11 / 10 + (1 << 20) - 1) >> 20;
    return Optional.of(String.format(
        "warning: %d tunnel(s) need about %d MB of heap and this JVM has %d MB; the agent would die of"
            + " OutOfMemoryError: set -Xmx%dm or more in TUNNELWATCH_JAVA_OPTS (the systemd unit's Environment=)",
        config.tunnels().size(), (needed + (1 << 20) - 1) >> 20, maxHeapBytes >> 20, xmxMb));
  }
}
