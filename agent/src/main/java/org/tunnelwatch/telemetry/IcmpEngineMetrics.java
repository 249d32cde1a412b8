package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.tunnelwatch.probe.icmp.EngineStats;

/**
 * The native ICMP engine's own counters ({@link EngineStats}) as Prometheus counters. A scrape
 * looks like:
 *
 * <pre>
 * tunnelwatch_icmp_requests_total 60000.0
 * tunnelwatch_icmp_echoes_sent_total 60000.0
 * tunnelwatch_icmp_echoes_answered_total 59998.0
 * tunnelwatch_icmp_echoes_expired_total 2.0
 * tunnelwatch_icmp_send_errors_total 0.0
 * tunnelwatch_icmp_replies_ignored_total{reason="late"} 1.0
 * tunnelwatch_icmp_replies_ignored_total{reason="duplicate"} 0.0
 * tunnelwatch_icmp_replies_ignored_total{reason="wrong_host"} 0.0
 * tunnelwatch_icmp_replies_ignored_total{reason="wrong_payload"} 0.0
 * tunnelwatch_icmp_replies_ignored_total{reason="malformed"} 0.0
 * </pre>
 *
 * <p>A reload opens a new engine, whose counts start from zero; the counters go on from the
 * sum of the engines before, so they never fall. The series appear with the first native engine
 * and stay; with the {@code ping} program fallback there are none.
 *
 * <p>Thread-safe: {@link #engineStarted} is called by the agent's reloads, one at a time; the
 * counters are read from scrape threads.
 */
public final class IcmpEngineMetrics {

  private static final EngineStats ZERO = new EngineStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final MeterRegistry registry;
  /** What the engines before the current one counted, in all. */
  private volatile EngineStats before = ZERO;
  private volatile Supplier<EngineStats> current;

  public IcmpEngineMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * From now on the counters follow {@code stats}, the engine that the new configuration opened;
   * the previous engine's counts (it probes no more) are kept in the totals.
   */
  public synchronized void engineStarted(Supplier<EngineStats> stats) {
    if (current == null) {
      register();
    } else {
      before = plus(before, current.get());
    }
    current = stats;
  }

  private void register() {
    counter(MetricNames.ICMP_REQUESTS, "Echo requests (one per target and round) handed to the native ICMP engine", EngineStats::submitted);
    counter(MetricNames.ICMP_ECHOES_SENT, "Echoes the native ICMP engine sent", EngineStats::sent);
    counter(MetricNames.ICMP_ECHOES_ANSWERED, "Echoes answered within their timeout", EngineStats::answered);
    counter(MetricNames.ICMP_ECHOES_EXPIRED, "Echoes that timed out unanswered", EngineStats::expired);
    counter(MetricNames.ICMP_SEND_ERRORS, "Echoes the kernel refused to send", EngineStats::sendErrors);
    ignored("late", EngineStats::late);
    ignored("duplicate", EngineStats::duplicates);
    ignored("wrong_host", EngineStats::wrongHost);
    ignored("wrong_payload", EngineStats::wrongPayload);
    ignored("malformed", EngineStats::malformed);
  }

  private void ignored(String reason, ToLongFunction<EngineStats> field) {
    FunctionCounter.builder(MetricNames.ICMP_REPLIES_IGNORED, this, m -> m.total(field))
        .tag(MetricNames.TAG_REASON, reason)
        .description("Datagrams the native ICMP engine read and ignored, by reason")
        .register(registry);
  }

  private void counter(String name, String help, ToLongFunction<EngineStats> field) {
    FunctionCounter.builder(name, this, m -> m.total(field)).description(help).register(registry);
  }

  private double total(ToLongFunction<EngineStats> field) {
    Supplier<EngineStats> engine = current;
    return field.applyAsLong(before) + (engine == null ? 0 : field.applyAsLong(engine.get()));
  }

  private static EngineStats plus(EngineStats a, EngineStats b) {
    return new EngineStats(
        a.submitted() + b.submitted(),
        a.sent() + b.sent(),
        a.answered() + b.answered(),
        a.expired() + b.expired(),
        a.sendErrors() + b.sendErrors(),
        a.late() + b.late(),
        a.duplicates() + b.duplicates(),
        a.wrongHost() + b.wrongHost(),
        a.wrongPayload() + b.wrongPayload(),
        a.malformed() + b.malformed());
  }
}
