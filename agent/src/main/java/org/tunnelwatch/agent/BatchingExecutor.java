package org.tunnelwatch.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor that can gather the tasks one thread hands it in a stretch of work and pass them
 * on as one task. The native ICMP engine completes a slot's rounds (a hundred at 1,000
 * tunnels) in one wake-up; handed to the judging pool one by one, nearly every round woke a
 * judging thread (a futex wake and a context switch on the engine's thread, measured as a
 * fifth of its CPU on {@code lab/bench-probe}); gathered, one wake-up of the engine wakes one
 * judging thread.
 *
 * <p>Outside {@link #gather} it hands each task straight on. Tasks of one batch run one after
 * the other, in order; one that throws is logged and the rest still run.
 *
 * <p>Thread-safe: each thread gathers into its own batch.
 */
final class BatchingExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(BatchingExecutor.class);

  private final Executor target;
  private final ThreadLocal<List<Runnable>> gathering = new ThreadLocal<>();

  BatchingExecutor(Executor target) {
    this.target = target;
  }

  @Override
  public void execute(Runnable task) {
    List<Runnable> batch = gathering.get();
    if (batch != null) {
      batch.add(task);
    } else {
      target.execute(task);
    }
  }

  /**
   * Runs {@code work} on this thread, gathering the tasks it hands this executor, then passes
   * them on as one task. If the target refuses the batch (it is shutting down), the tasks run
   * here instead: a round's steps end the round themselves when their next hand-off is refused,
   * and a gathered task dropped on the floor would leave its round in flight for ever.
   */
  void gather(Runnable work) {
    if (gathering.get() != null) {
      work.run(); // already gathering: the outer batch takes these too
      return;
    }
    List<Runnable> batch = new ArrayList<>();
    gathering.set(batch);
    try {
      work.run();
    } finally {
      gathering.remove();
      if (!batch.isEmpty()) {
        passOn(batch);
      }
    }
  }

  private void passOn(List<Runnable> batch) {
    try {
      target.execute(batch.size() == 1 ? batch.get(0) : () -> runAll(batch));
    } catch (RejectedExecutionException e) {
      runAll(batch);
    }
  }

  private static void runAll(List<Runnable> batch) {
    for (Runnable task : batch) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("a gathered task failed; the rest of its batch runs on", e);
      }
    }
  }
}
