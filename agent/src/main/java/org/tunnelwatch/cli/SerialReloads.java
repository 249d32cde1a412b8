package org.tunnelwatch.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out reloads one at a time, each reading the configuration file as it is when it
 * begins. A SIGHUP that comes during a reload asks for one more right after it, however many
 * come meanwhile (they coalesce), so the configuration in use is always the file's latest: an
 * older reload can never finish after a newer one and win. SIGHUPs before the agent has started
 * are kept, and one reload follows the start.
 *
 * <p>Reloads run on a thread of their own ({@code reload}), never on the signal dispatcher's.
 * Thread-safe.
 */
final class SerialReloads implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SerialReloads.class);

  private final Thread worker;
  // Guarded by this.
  private Runnable reload;
  private boolean requested;
  private boolean closed;

  private SerialReloads() {
    worker = new Thread(this::work, "reload");
    worker.setDaemon(true);
  }

  /** Starts the reload thread; nothing is reloaded before {@link #started}. */
  static SerialReloads start() {
    SerialReloads reloads = new SerialReloads();
    reloads.worker.start();
    return reloads;
  }

  /** A reload is asked for (SIGHUP): it runs now, or after the one running, or after the start. */
  synchronized void hangup() {
    requested = true;
    notifyAll();
  }

  /** The agent has started: {@code reload} reloads it, from now on. */
  synchronized void started(Runnable reload) {
    this.reload = reload;
    notifyAll();
  }

  /** Starts no more reloads (shutting down); one that is running goes on to its end. */
  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Whether the reload thread still takes requests (false once closed and its reload ended). */
  boolean working() {
    return worker.isAlive();
  }

  private void work() {
    while (true) {
      Runnable next;
      synchronized (this) {
        try {
          while (!closed && (reload == null || !requested)) {
            wait();
          }
        } catch (InterruptedException e) {
          return;
        }
        if (closed) {
          return;
        }
        requested = false; // a SIGHUP from here on asks for another reload after this one
        next = reload;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // A bug in the reload: it must not end reloading for the rest of the process's life.
        log.error("the reload failed inside the agent", e);
      }
    }
  }
}
