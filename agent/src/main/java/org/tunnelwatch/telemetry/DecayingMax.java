package org.tunnelwatch.telemetry;

/**
 * The largest value recorded lately, with the meaning of Micrometer's {@code TimeWindowMax} (the
 * {@code _max} series of a timer): a ring of a few maxima, each fed every sample; every {@code
 * rotateMillis} the one in front is cleared and the next comes to the front, so a sample is seen
 * for between {@code (buffers - 1)} and {@code buffers} rotations, then forgotten. With
 * Micrometer's Prometheus registry a rotation is its {@code step} (one minute) and there are
 * three buffers.
 *
 * <p>Micrometer keeps an {@code AtomicLong} per buffer and a lock per meter; at a thousand
 * tunnels with five timers each that was a visible part of the heap and of each round's CPU.
 * Here it is a {@code long[]} and two longs, and the owner's lock guards it.
 *
 * <p>Not thread-safe: the owner ({@link TunnelSeries}) calls it under its own lock. Reading it
 * rotates it too, so a read is a write.
 */
final class DecayingMax {

  private final long rotateMillis;
  private final long[] ring;
  private int front;
  private long lastRotateMillis;

  DecayingMax(long rotateMillis, int buffers, long nowMillis) {
    if (rotateMillis <= 0 || buffers <= 0) {
      throw new IllegalArgumentException("rotation and buffers must be positive");
    }
    this.rotateMillis = rotateMillis;
    this.ring = new long[buffers];
    this.lastRotateMillis = nowMillis;
  }

  void record(long value, long nowMillis) {
    rotate(nowMillis);
    for (int i = 0; i < ring.length; i++) {
      if (ring[i] < value) {
        ring[i] = value;
      }
    }
  }

  /** The largest value of the window that ends at {@code nowMillis}, 0 if none. */
  long max(long nowMillis) {
    rotate(nowMillis);
    return ring[front];
  }

  // As TimeWindowMax.rotate(): a long pause clears everything at once.
  private void rotate(long nowMillis) {
    long since = nowMillis - lastRotateMillis;
    if (since < rotateMillis) {
      return;
    }
    if (since >= rotateMillis * ring.length) {
      java.util.Arrays.fill(ring, 0);
      front = 0;
      lastRotateMillis = nowMillis - since % rotateMillis;
      return;
    }
    int iterations = 0;
    do {
      ring[front] = 0;
      front = (front + 1) % ring.length;
      since -= rotateMillis;
      lastRotateMillis += rotateMillis;
    } while (since >= rotateMillis && ++iterations < ring.length);
  }
}
