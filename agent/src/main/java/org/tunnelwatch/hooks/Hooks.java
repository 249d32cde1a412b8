package org.tunnelwatch.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.tunnelwatch.config.HookConfig;
import org.tunnelwatch.exec.CommandResult;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.TunnelEvents;

/**
 * Runs the configured {@code hooks:} programs on tunnel events. Listens like the metrics and the
 * alerts do (one of the agent's {@link TunnelEvents}); each matching hook becomes a job on a
 * bounded queue, so that the judging and repair threads that tell the events never wait for a
 * program: when {@link #QUEUE_CAPACITY} jobs already wait, the event is dropped for that hook
 * and counted. One thread runs the jobs in the order of the events (a hook sees a tunnel's down
 * before its up), each program killed with everything it started at the hook's timeout.
 *
 * <p>Thread-safe. {@link #reconfigure} takes effect for events told after it.
 */
public final class Hooks implements TunnelEvents, AutoCloseable {

  /** Jobs that may wait: a flapping gateway's burst, not an unbounded backlog behind a hung hook. */
  static final int QUEUE_CAPACITY = 256;

  private final ProcessCommandRunner runner;
  private final HookMetrics metrics;
  private final HookProblems problems = new HookProblems();
  private final TimeSource time;
  private final ThreadPoolExecutor worker;
  private final int capacity;
  private volatile List<HookConfig> hooks;

  public Hooks(List<HookConfig> hooks, MeterRegistry registry, TimeSource time) {
    this(hooks, registry, time, new ProcessCommandRunner(), QUEUE_CAPACITY);
  }

  Hooks(List<HookConfig> hooks, MeterRegistry registry, TimeSource time, ProcessCommandRunner runner, int capacity) {
    this.runner = runner;
    this.metrics = new HookMetrics(registry);
    this.time = time;
    this.capacity = capacity;
    // The thread starts with the first job and ends after a minute without one.
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(capacity),
            r -> {
              Thread t = new Thread(r, "hooks");
              t.setDaemon(true);
              return t;
            });
    worker.allowCoreThreadTimeOut(true);
    reconfigure(hooks);
  }

  /** Runs {@code next} from the next event on; a run under way ends as it was. */
  public void reconfigure(List<HookConfig> next) {
    metrics.declare(next);
    hooks = List.copyOf(next);
  }

  /** Queues a run of every hook that wants {@code event}; never blocks. */
  public void publish(HookEvent event) {
    for (HookConfig hook : hooks) {
      if (hook.runsOn(event.trigger(), event.tunnel())) {
        queue(hook, event);
      }
    }
  }

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    publish(HookEvent.stateChanged(tunnel, from, to, time.now()));
  }

  @Override
  public void actionRunning(String tunnel, RemedyAction action, String reason) {
    publish(HookEvent.actionBefore(tunnel, action, reason, time.now()));
  }

  @Override
  public void remedied(String tunnel, RemedyOutcome outcome, String reason) {
    publish(HookEvent.actionAfter(tunnel, outcome, reason, time.now()));
  }

  @Override
  public void failoverSwitched(Switch s) {
    publish(HookEvent.failover(s.group(), s.from(), s.to(), s.reason().configName(), s.why(), time.now()));
  }

  private void queue(HookConfig hook, HookEvent event) {
    try {
      worker.execute(() -> run(hook, event));
      problems.queued(hook.name());
    } catch (RejectedExecutionException e) {
      // Full, or closed: either way the run will not happen, and is counted.
      metrics.droppedOne(hook.name());
      problems.dropped(hook.name(), capacity);
    }
  }

  private void run(HookConfig hook, HookEvent event) {
    CommandResult ran = runner.run(hook.argv(), event.environment(hook.name()), hook.timeout());
    HookResult result = ran.timedOut() ? HookResult.TIMEOUT : ran.exitCode() == 0 ? HookResult.OK : HookResult.FAILED;
    metrics.ran(hook.name(), result);
    String kind = result == HookResult.FAILED ? "exit " + ran.exitCode() : result.label();
    problems.ran(hook.name(), result, kind, ran.summary());
  }

  /** Runs nothing more: queued runs are dropped, running programs killed with their children. */
  @Override
  public void close() {
    worker.shutdownNow();
    runner.close();
  }
}
