package org.tunnelwatch.probe;

import java.util.function.Consumer;

/**
 * Sends ICMP echoes without holding the caller: {@link #submit} returns at once and the callback
 * gets the result later, so a thousand tunnels need no thread each while their echoes fly. The
 * native engine implements it directly; {@link PooledEchoProber} puts a blocking {@link
 * EchoProber} (the {@code ping} program) behind it.
 *
 * <p>The contract of {@link EchoProber} holds for the result: it comes within the request's
 * {@link EchoRequest#budget()} plus a small margin, and an ordinary failure (no reply,
 * unreachable, bad source, overload) is a result, never an exception.
 */
public interface AsyncEchoProber extends AutoCloseable {

  /**
   * Starts the request's echoes; {@code callback} gets the result exactly once, on the prober's
   * own thread, possibly before this method returns. Implementations are thread-safe.
   */
  void submit(EchoRequest request, EchoCallback callback);

  /**
   * Runs {@code submissions}, which call {@link #submit} on this thread, as one batch: a prober
   * with a thread of its own wakes it once at the end rather than at each request (a slot of
   * a hundred rounds otherwise wakes the native engine up to a hundred times).
   */
  default void submitTogether(Runnable submissions) {
    submissions.run();
  }

  /**
   * Has the prober's thread deliver the results of one wake-up inside {@code scope}: it calls
   * {@code scope} with a task that runs those callbacks, so that the receiver can hand them on
   * together (the agent gathers them into one task for its judging threads). Call before the
   * first {@link #submit}. Probers without a thread of their own ignore it.
   */
  default void deliverWithin(Consumer<Runnable> scope) {}

  /** A word for logs: which engine this is, e.g. "native ICMP (raw ICMP sockets)". */
  String name();

  /** Stops the prober's threads; requests still in flight complete with an error or not at all. */
  @Override
  void close();
}
