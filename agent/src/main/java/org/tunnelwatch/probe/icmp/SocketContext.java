package org.tunnelwatch.probe.icmp;

import java.util.concurrent.Callable;

/**
 * Where the engine creates its sockets. A socket belongs to the network namespace it was created
 * in, and whether it may be created depends on the creating thread's capabilities; the agent
 * creates them on the calling thread, as it is. Tests pass a context that runs the creation on a
 * thread moved into a test namespace (or stripped of CAP_NET_RAW), which is how one JVM tests all
 * three engines.
 */
public interface SocketContext {

  /** Runs {@code action} where sockets are to be created and returns its result. */
  <T> T call(Callable<T> action) throws Exception;

  /** The calling thread, unchanged: what the agent uses. */
  static SocketContext callingThread() {
    return new SocketContext() {
      @Override
      public <T> T call(Callable<T> action) throws Exception {
        return action.call();
      }
    };
  }
}
