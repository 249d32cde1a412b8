package org.tunnelwatch.agent;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the C library's free heap pages back to the kernel, once a minute. What the JVM allocates
 * outside the Java heap (the C1 compiler's arenas above all, which a start and a scrape's first
 * compilations fill, and symbols) it frees into glibc's heap, and glibc keeps freed memory mapped
 * unless it lies at the very top: at ten tunnels 1 to 2 MB of an agent's resident memory is such
 * free memory (docs/benchmarks.md). {@code malloc_trim(3)} hands back every whole free page, in
 * every arena, in a millisecond or so.
 *
 * <p>Only with glibc: another C library (musl) has no {@code malloc_trim}, and the agent runs
 * without this.
 */
final class NativeHeapTrim implements Runnable {

  /** Often enough to keep a scrape's compilations from staying, rare enough to cost nothing. */
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);

  /** glibc's {@code int malloc_trim(size_t pad)}, bound by JNA's direct mapping. */
  static final class Glibc {
    private Glibc() {}

    static native int malloc_trim(NativeLong pad);
  }

  /** Bound once, on first use: the JVM runs a holder's initializer once, for every thread. */
  private static final class Binding {
    static final boolean BOUND = bind();
  }

  private NativeHeapTrim() {}

  /** The trim, where the C library has one. */
  static Optional<NativeHeapTrim> ifAvailable() {
    return Binding.BOUND ? Optional.of(new NativeHeapTrim()) : Optional.empty();
  }

  private static boolean bind() {
    try {
      Native.register(Glibc.class, NativeLibrary.getInstance("c"));
      return true;
    } catch (UnsatisfiedLinkError e) {
      log.debug("no malloc_trim in this C library; the native heap is not trimmed: {}", e.getMessage());
      return false;
    }
  }

  /** Trims now; says whether glibc gave any memory back. */
  boolean trim() {
    return Glibc.malloc_trim(new NativeLong(0)) == 1;
  }

  @Override
  public void run() {
    trim();
  }
}
