package org.tunnelwatch;

import java.util.concurrent.TimeUnit;

/** How tests end the programs they started (the agent, Alertmanager, Prometheus). */
public final class ChildProcesses {

  /** Long enough for a clean shutdown, short enough that a hung program does not stall the suite. */
  private static final long GRACE_SECONDS = 10;

  private ChildProcesses() {}

  /**
   * SIGTERM, so that the program shuts down as in production (and flushes its log), then SIGKILL
   * if it is still running after the grace period. Safe to call on a process that has exited.
   */
  public static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
