package org.tunnelwatch.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP as "reload the configuration", as daemons do ({@code systemctl reload} sends it through
 * the unit's {@code ExecReload=}). The JDK's only way to catch a signal is {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every JDK 17 runtime); without this handler SIGHUP would
 * start the JVM's shutdown.
 *
 * <p>A process started by a parent that ignores SIGHUP ({@code nohup}, some init scripts)
 * inherits the ignoring, and the JVM then declines to install any handler for it, silently: every
 * reload would be lost. The disposition is therefore reset to the default first (one C library
 * call), and the agent says so when it was ignored.
 */
final class HangupSignal {

  private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);
  private static final int SIGHUP = 1;
  private static final long SIG_IGN = 1;

  /** {@code signal(2)}: enough to read and reset a disposition before the JVM takes the signal. */
  interface CSignal extends Library {
    Pointer signal(int signum, Pointer handler);
  }

  private HangupSignal() {}

  /** Runs {@code reload} on each SIGHUP, on a thread of the JVM's signal dispatcher. */
  static void onHangup(Runnable reload) {
    undoInheritedIgnore();
    Signal.handle(new Signal("HUP"), signal -> reload.run());
  }

  private static void undoInheritedIgnore() {
    try {
      Pointer before = Native.load("c", CSignal.class).signal(SIGHUP, Pointer.NULL); // SIG_DFL
      if (Pointer.nativeValue(before) == SIG_IGN) {
        log.info("SIGHUP was ignored by the process that started the agent (nohup?); it reloads the configuration now");
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Without the C library call the JVM's own handling stands; reloads work unless ignored.
      log.warn("cannot check how SIGHUP is handled ({}); if the agent was started with nohup, reloads are ignored", e.toString());
    }
  }
}
