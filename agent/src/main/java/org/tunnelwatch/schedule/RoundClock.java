package org.tunnelwatch.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of the probe rounds: runs short tasks (a slot of round starts) every interval on one
 * thread of its own, timed by the JDK's delay queue.
 *
 * <p>Why not Quartz, which schedules everything else: a gateway with a thousand tunnels at 1 s
 * needs fifty slot firings a second, and on {@code lab/bench-probe} Quartz's bookkeeping of
 * those firings (trigger store, job contexts, the hand-off to a worker thread) cost about 3 % of
 * a core, more than sending the thousand echoes. A slot task only starts rounds and returns, so
 * it needs none of what Quartz offers (persistence, cron, misfire policies beyond "skip").
 *
 * <p>Firings missed while the thread was held up (a long pause of the JVM, a suspended machine)
 * are skipped, never run in a burst, as with the Quartz triggers before: the next firing is the
 * first one of the original schedule that is still ahead.
 *
 * <p>Thread-safety: {@link #every} before {@link #start()}, from one thread; {@link #close()}
 * from any thread.
 */
public final class RoundClock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoundClock.class);

  private final ScheduledThreadPoolExecutor executor;
  private final List<Firing> firings = new ArrayList<>();

  /** A clock whose thread is called {@code name}; nothing runs before {@link #start()}. */
  public RoundClock(String name) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** Runs {@code task} every {@code interval}, the first time {@code delay} after {@link #start()}. */
  public void every(String name, Duration interval, Duration delay, Runnable task) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    firings.add(new Firing(name, interval.toNanos(), delay.toNanos(), task));
  }

  public void start() {
    long now = System.nanoTime();
    for (Firing firing : firings) {
      firing.due = now + firing.delayNanos;
      firing.scheduleAt(now);
    }
  }

  /** Stops the firings and waits (a few seconds at most) for one that is running to finish. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The firing after one due at {@code due}: one interval later, or, if that is already past at
   * {@code now}, the first time of the same schedule that is not.
   */
  static long nextDue(long due, long intervalNanos, long now) {
    long next = due + intervalNanos;
    if (next >= now) {
      return next;
    }
    long missed = (now - next + intervalNanos - 1) / intervalNanos;
    return next + missed * intervalNanos;
  }

  /** One repeating task and its next due time (touched only by the clock's thread after start). */
  private final class Firing implements Runnable {

    private final String name;
    private final long intervalNanos;
    private final long delayNanos;
    private final Runnable task;
    private long due;

    Firing(String name, long intervalNanos, long delayNanos, Runnable task) {
      this.name = name;
      this.intervalNanos = intervalNanos;
      this.delayNanos = delayNanos;
      this.task = task;
    }

    @Override
    public void run() {
      try {
        task.run();
      } catch (RuntimeException e) {
        // A bug in one slot must not stop the clock for every other tunnel; say whose it was.
        log.error("round clock: {} failed", name, e);
      }
      long now = System.nanoTime();
      due = nextDue(due, intervalNanos, now);
      scheduleAt(now);
    }

    private void scheduleAt(long now) {
      if (!executor.isShutdown()) {
        executor.schedule(this, due - now, TimeUnit.NANOSECONDS);
      }
    }
  }
}
