package org.tunnelwatch.probe;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking {@link EchoProber} (the {@code ping} program, a process per probe) behind the
 * asynchronous contract: each request runs on a small bounded pool of threads, so that the
 * rounds' threads are never held. Requests beyond the pool wait in a bounded queue; one that
 * finds the queue full completes at once with an "overloaded" error rather than waiting without
 * limit. Idle threads end after a while, so a quiet agent holds none.
 *
 * <p>Thread-safe.
 */
public final class PooledEchoProber implements AsyncEchoProber {

  private final EchoProber prober;
  private final ThreadPoolExecutor pool;

  /**
   * @param threads how many probes run at once
   * @param queued how many more may wait for a thread
   */
  public PooledEchoProber(EchoProber prober, int threads, int queued) {
    this.prober = prober;
    AtomicInteger count = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queued),
            r -> {
              Thread t = new Thread(r, "probe-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  @Override
  public void submit(EchoRequest request, EchoCallback callback) {
    try {
      pool.execute(() -> callback.completed(request, probeSafely(request)));
    } catch (RejectedExecutionException e) {
      String why = pool.isShutdown() ? "the prober is closed" : "the prober is overloaded: " + pool.getQueue().size() + " probes are waiting";
      callback.completed(request, EchoResult.error(request.target(), why));
    }
  }

  /** The contract says probers never throw; a bug in one must still not lose the callback. */
  private EchoResult probeSafely(EchoRequest request) {
    try {
      return prober.probe(request);
    } catch (RuntimeException e) {
      return EchoResult.error(request.target(), "prober failed: " + e);
    }
  }

  @Override
  public String name() {
    return prober.name();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
