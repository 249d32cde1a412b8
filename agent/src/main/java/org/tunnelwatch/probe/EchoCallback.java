package org.tunnelwatch.probe;

/**
 * Receives the result of a request submitted to {@link AsyncEchoProber#submit}. Called exactly
 * once per submission, on the prober's thread (the native engine's one thread, or a worker of the
 * {@code ping} program's pool): it must return quickly and never block (hand longer work to an
 * executor), because every other probe's timing waits for it. An exception it throws is logged
 * and otherwise ignored.
 */
@FunctionalInterface
public interface EchoCallback {

  /**
   * @param request the request as submitted (the same object), so that one callback can serve
   *     all the targets of a round
   * @param result what the echoes saw
   */
  void completed(EchoRequest request, EchoResult result);
}
