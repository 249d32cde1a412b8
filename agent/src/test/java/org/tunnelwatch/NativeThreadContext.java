package org.tunnelwatch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * Creates sockets on a fresh thread that first moves into a test's network namespace and, when
 * asked, drops CAP_NET_RAW: both are per-thread on Linux, so the rest of the JVM is untouched and
 * the thread ends right after. This is how one root JVM tests the raw, ping-socket and program
 * engines and the choice between them, for real.
 */
public final class NativeThreadContext implements SocketContext {

  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;
  private static final int CAP_NET_RAW = 13;
  private static final int CAPABILITY_VERSION_3 = 0x20080522;

  /** The few calls this needs, through JNA (test code: a proxy per call is fine). */
  interface C extends Library {
    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int type) throws LastErrorException;

    int close(int fd);

    int capget(Memory header, Memory data) throws LastErrorException;

    int capset(Memory header, Memory data) throws LastErrorException;
  }

  private static final C LIBC = Native.load("c", C.class);

  private final String namespace;
  private final boolean dropRaw;

  /**
   * @param namespace the name under /run/netns, or null to stay in the JVM's namespace
   * @param dropRaw remove CAP_NET_RAW from the thread before the action runs
   */
  public NativeThreadContext(String namespace, boolean dropRaw) {
    this.namespace = namespace;
    this.dropRaw = dropRaw;
  }

  @Override
  public <T> T call(Callable<T> action) throws Exception {
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              if (namespace != null) {
                enterNamespace();
              }
              if (dropRaw) {
                dropNetRaw();
              }
              return action.call();
            });
    Thread thread = new Thread(task, "socket-context-" + namespace);
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void enterNamespace() {
    int fd = LIBC.open("/run/netns/" + namespace, O_RDONLY);
    try {
      LIBC.setns(fd, CLONE_NEWNET);
    } finally {
      LIBC.close(fd);
    }
  }

  private static void dropNetRaw() {
    Memory header = new Memory(8);
    header.setInt(0, CAPABILITY_VERSION_3);
    header.setInt(4, 0); // this thread
    Memory data = new Memory(24); // two {effective, permitted, inheritable}
    LIBC.capget(header, data);
    int mask = ~(1 << CAP_NET_RAW);
    data.setInt(0, data.getInt(0) & mask);
    data.setInt(4, data.getInt(4) & mask);
    LIBC.capset(header, data);
  }
}
