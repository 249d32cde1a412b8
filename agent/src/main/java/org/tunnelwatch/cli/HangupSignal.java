package org.tunnelwatch.cli;

import sun.misc.Signal;

/**
 * SIGHUP as "reload the configuration", as daemons do ({@code systemctl reload} sends it through
 * the unit's {@code ExecReload=}). The JDK's only way to catch a signal is {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every JDK 17 runtime); without this handler SIGHUP would
 * start the JVM's shutdown.
 */
final class HangupSignal {

  private HangupSignal() {}

  /** Runs {@code reload} on each SIGHUP, on a thread of the JVM's signal dispatcher. */
  static void onHangup(Runnable reload) {
    Signal.handle(new Signal("HUP"), signal -> reload.run());
  }
}
