package org.tunnelwatch.schedule;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.SchedulerConfigException;
import org.quartz.spi.ThreadPool;

/**
 * Quartz's worker threads, which sleep until there is a job. Quartz's own {@code
 * SimpleThreadPool} wakes each idle worker twice a second to look for work; an agent that runs a
 * watchdog job a minute and a maintenance job a week would spend most of its idle wake-ups there.
 * These workers wait on a queue without a timeout instead, and are daemon threads, as the
 * agent's Quartz threads have always been.
 *
 * <p>Quartz creates it by class name ({@code org.quartz.threadPool.class}) and sets {@code
 * threadCount} through {@link #setThreadCount}. As with {@code SimpleThreadPool}, {@link
 * #blockForAvailableThreads()} waits until a thread is free (or the pool is shut down) and
 * {@link #runInThread} runs a job on a free thread, waiting for one if need be, and returns false
 * once the pool is shut down.
 *
 * <p>Thread-safe.
 */
public final class IdleThreadPool implements ThreadPool {

  private final Object lock = new Object();
  private int threadCount = 1;
  private String instanceName = "quartz";
  private ThreadPoolExecutor executor;
  private int available;
  private boolean shutDown;

  /** Called by Quartz for {@code org.quartz.threadPool.threadCount}. */
  public void setThreadCount(int threadCount) {
    this.threadCount = threadCount;
  }

  @Override
  public void setInstanceId(String schedInstId) {
    // Not used: threads are named after the instance name, as Quartz's own pool names them.
  }

  @Override
  public void setInstanceName(String schedName) {
    this.instanceName = schedName;
  }

  @Override
  public void initialize() throws SchedulerConfigException {
    if (threadCount < 1) {
      throw new SchedulerConfigException("threadCount must be at least 1, found " + threadCount);
    }
    AtomicInteger count = new AtomicInteger();
    String prefix = instanceName + "_Worker-";
    synchronized (lock) {
      available = threadCount;
      // Core threads that never time out: an idle worker blocks in the queue's take(), no timer.
      executor =
          new ThreadPoolExecutor(
              threadCount,
              threadCount,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              runnable -> {
                Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
    }
  }

  @Override
  public int getPoolSize() {
    return threadCount;
  }

  @Override
  public int blockForAvailableThreads() {
    synchronized (lock) {
      while (available < 1 && !shutDown) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          // Quartz's scheduler thread is not interrupted in practice; keep its flag and report.
          Thread.currentThread().interrupt();
          return available;
        }
      }
      return available;
    }
  }

  @Override
  public boolean runInThread(Runnable job) {
    // Only Quartz's scheduler thread hands jobs in, after blockForAvailableThreads() said a
    // thread is free, so this does not wait in practice.
    blockForAvailableThreads();
    synchronized (lock) {
      if (shutDown || available < 1) {
        return false; // Quartz halts its scheduler thread before it shuts the pool down
      }
      available--;
    }
    executor.execute(
        () -> {
          try {
            job.run();
          } finally {
            synchronized (lock) {
              available++;
              lock.notifyAll();
            }
          }
        });
    return true;
  }

  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    synchronized (lock) {
      shutDown = true;
      lock.notifyAll();
    }
    if (executor == null) {
      return;
    }
    executor.shutdown();
    if (waitForJobsToComplete) {
      try {
        while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
          // A job still running: wait on, as SimpleThreadPool does.
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
