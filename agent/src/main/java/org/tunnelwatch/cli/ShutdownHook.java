package org.tunnelwatch.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.tunnelwatch.agent.Agent;
import org.tunnelwatch.systemd.SystemdNotifier;

/**
 * {@code run}'s JVM shutdown hook (SIGTERM, SIGINT): stops the reloads, the agent and the
 * notifier, saying so in two log lines. Registered before the agent starts, because the agent
 * sends READY=1 from inside its start and systemd may stop it at once: a hook added after the
 * start would meet a JVM already shutting down. A stop during the start waits for the start to
 * end (at most {@link #START_WAIT_SECONDS}) and then stops what started.
 *
 * <p>Thread-safe: the hook runs on a thread of its own.
 */
final class ShutdownHook {

  /** Longer than a start takes, shorter than the unit's TimeoutStopSec (60 s). */
  private static final long START_WAIT_SECONDS = 30;

  private final Thread thread;
  private final CountDownLatch startEnded = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Agent agent;

  private ShutdownHook(Logger log, SerialReloads reloads, SystemdNotifier notifier) {
    thread = new Thread(() -> {
      log.info("signal received, shutting down");
      reloads.close();
      try {
        startEnded.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Agent started = agent;
      if (started != null) {
        started.close();
      }
      notifier.close();
      log.info("stopped");
      stopped.countDown();
    }, "shutdown");
  }

  /** Registers the hook; call before the agent starts. */
  static ShutdownHook register(Logger log, SerialReloads reloads, SystemdNotifier notifier) {
    ShutdownHook hook = new ShutdownHook(log, reloads, notifier);
    Runtime.getRuntime().addShutdownHook(hook.thread);
    return hook;
  }

  /** The agent started: the hook stops it. */
  void started(Agent started) {
    agent = started;
    startEnded.countDown();
  }

  /**
   * The start failed: the hook is withdrawn, and the caller closes the reloads and the notifier.
   *
   * @return false if a stop already began: the hook then closes them (as they must not be closed twice)
   */
  boolean startFailed() {
    startEnded.countDown();
    try {
      return Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  /** Waits until the hook has stopped everything. */
  void awaitStopped() throws InterruptedException {
    stopped.await();
  }
}
