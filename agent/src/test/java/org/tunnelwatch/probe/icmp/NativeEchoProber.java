package org.tunnelwatch.probe.icmp;

import org.tunnelwatch.probe.EchoCallback;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.tunnelwatch.probe.EchoProber;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;

/**
 * The blocking {@link EchoProber} contract on top of the asynchronous {@link IcmpEngine}, for
 * tests that wait for one result; the agent's rounds use the engine directly.
 * The calling thread parks until the engine's callback; each thread reuses one waiter, so a probe
 * allocates nothing here.
 *
 * <p>Thread-safe. Does not own the engine: whoever opened it closes it.
 */
public final class NativeEchoProber implements EchoProber {

  /** {@link IcmpEngine#submit} as a future. */
  public static CompletableFuture<EchoResult> submitted(IcmpEngine engine, EchoRequest request) {
    CompletableFuture<EchoResult> future = new CompletableFuture<>();
    engine.submit(request, (r, result) -> future.complete(result));
    return future;
  }

  /** The engine completes at the budget; this covers a stalled engine thread, never hit in practice. */
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private final IcmpEngine engine;
  private final ThreadLocal<Waiter> waiters = ThreadLocal.withInitial(Waiter::new);

  public NativeEchoProber(IcmpEngine engine) {
    this.engine = engine;
  }

  @Override
  public EchoResult probe(EchoRequest request) {
    Waiter waiter = waiters.get();
    waiter.expect(request);
    engine.submit(request, waiter);
    EchoResult result = waiter.await(request, request.budget().plus(MARGIN));
    return result != null
        ? result
        : EchoResult.error(request.target(), "the ICMP engine gave no result within the budget");
  }

  @Override
  public String name() {
    return engine.name();
  }

  /**
   * One thread's rendezvous with the engine. The slot holds the request being waited for, and
   * the callback swaps in the result only if the slot still holds that very request, so a result
   * that arrives after its caller gave up can never be taken for the next request's.
   */
  private static final class Waiter implements EchoCallback {

    private final Thread owner = Thread.currentThread();
    private final AtomicReference<Object> slot = new AtomicReference<>();

    void expect(EchoRequest request) {
      slot.set(request);
    }

    @Override
    public void completed(EchoRequest request, EchoResult result) {
      if (slot.compareAndSet(request, result)) {
        LockSupport.unpark(owner);
      }
    }

    EchoResult await(EchoRequest request, Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      while (true) {
        Object value = slot.get();
        if (value instanceof EchoResult result) {
          slot.set(null);
          return result;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          if (slot.compareAndSet(request, null)) {
            return null;
          }
          continue; // the result arrived just now
        }
        LockSupport.parkNanos(this, left);
      }
    }
  }
}
