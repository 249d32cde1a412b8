package org.tunnelwatch.probe.icmp;

import java.util.Arrays;

/**
 * A binary min-heap of (deadline, token) pairs in two primitive arrays: the engine's timers for
 * sends and expiries. Grows by doubling and never shrinks, so a steady load allocates nothing.
 * Cancelled timers are not removed; the owner ignores a token that no longer means anything.
 *
 * <p>Not thread-safe: owned by the engine thread.
 */
final class TimerHeap {

  private long[] deadlines;
  private long[] tokens;
  private int size;

  TimerHeap(int initialCapacity) {
    deadlines = new long[Math.max(4, initialCapacity)];
    tokens = new long[deadlines.length];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Deadlines are {@link System#nanoTime()} values: compared by difference, never directly. */
  void add(long deadline, long token) {
    if (size == deadlines.length) {
      deadlines = Arrays.copyOf(deadlines, size * 2);
      tokens = Arrays.copyOf(tokens, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (deadlines[parent] - deadline <= 0) {
        break;
      }
      deadlines[i] = deadlines[parent];
      tokens[i] = tokens[parent];
      i = parent;
    }
    deadlines[i] = deadline;
    tokens[i] = token;
  }

  /** The earliest deadline; only when not empty. */
  long firstDeadline() {
    return deadlines[0];
  }

  /** The earliest timer's token; only when not empty. */
  long firstToken() {
    return tokens[0];
  }

  /** Removes the earliest timer and returns its token; only when not empty. */
  long removeFirst() {
    long token = tokens[0];
    size--;
    if (size > 0) {
      long lastDeadline = deadlines[size];
      long lastToken = tokens[size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && deadlines[child + 1] - deadlines[child] < 0) {
          child++;
        }
        if (lastDeadline - deadlines[child] <= 0) {
          break;
        }
        deadlines[i] = deadlines[child];
        tokens[i] = tokens[child];
        i = child;
      }
      deadlines[i] = lastDeadline;
      tokens[i] = lastToken;
    }
    return token;
  }

  void clear() {
    size = 0;
  }
}
