package org.tunnelwatch.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.tunnelwatch.config.HookConfig;
import org.tunnelwatch.telemetry.MetricNames;

/**
 * The hooks' counters:
 *
 * <pre>
 * tunnelwatch_hook_runs_total{hook="page",result="ok"} 3.0
 * tunnelwatch_hook_runs_total{hook="page",result="timeout"} 1.0
 * tunnelwatch_hook_dropped_total{hook="page"} 0.0
 * </pre>
 *
 * Thread-safe (Micrometer's counters are).
 */
final class HookMetrics {

  private final MeterRegistry registry;

  HookMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers every series of {@code hooks} at zero, so that rates work from the first run. */
  void declare(List<HookConfig> hooks) {
    for (HookConfig hook : hooks) {
      for (HookResult result : HookResult.values()) {
        runs(hook.name(), result);
      }
      dropped(hook.name());
    }
  }

  void ran(String hook, HookResult result) {
    runs(hook, result).increment();
  }

  void droppedOne(String hook) {
    dropped(hook).increment();
  }

  private Counter runs(String hook, HookResult result) {
    return Counter.builder(MetricNames.HOOK_RUNS)
        .tags(MetricNames.TAG_HOOK, hook, MetricNames.TAG_RESULT, result.label())
        .description("Runs of hook programs, by how they ended")
        .register(registry);
  }

  private Counter dropped(String hook) {
    return Counter.builder(MetricNames.HOOK_DROPPED)
        .tags(MetricNames.TAG_HOOK, hook)
        .description("Hook runs not started because the hooks' queue was full")
        .register(registry);
  }
}
