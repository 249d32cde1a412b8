package org.tunnelwatch.probe.icmp;

import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;

/**
 * Requests waiting for the engine thread: a ring of (request, callback) pairs, so that
 * submitting allocates no queue node. The ring starts small and doubles when full, up to its
 * bound: ten tunnels never have more than a few dozen requests waiting, and a ring sized for a
 * thousand tunnels' bursts from the start is 130 KB of old generation on the smallest gateways.
 * A full ring at its bound refuses, and the caller reports an overloaded engine instead of
 * queueing without limit.
 *
 * <p>Thread-safe: any thread offers, the engine thread takes.
 */
final class SubmissionQueue {

  private final int maxCapacity;
  private EchoRequest[] requests;
  private EchoCallback[] callbacks;
  private int head;
  private int size;

  /**
   * @param initialCapacity the ring's first size
   * @param maxCapacity the most requests that may wait; the ring doubles up to it
   */
  SubmissionQueue(int initialCapacity, int maxCapacity) {
    if (initialCapacity < 1 || initialCapacity > maxCapacity) {
      throw new IllegalArgumentException("capacity " + initialCapacity + " not within 1.." + maxCapacity);
    }
    this.maxCapacity = maxCapacity;
    requests = new EchoRequest[initialCapacity];
    callbacks = new EchoCallback[initialCapacity];
  }

  synchronized boolean offer(EchoRequest request, EchoCallback callback) {
    if (size == requests.length) {
      if (size == maxCapacity) {
        return false;
      }
      grow();
    }
    int at = (head + size) % requests.length;
    requests[at] = request;
    callbacks[at] = callback;
    size++;
    return true;
  }

  /** Doubles the ring (within its bound), the waiting pairs moved to its start in their order. */
  private void grow() {
    int capacity = Math.min(maxCapacity, requests.length * 2);
    EchoRequest[] grownRequests = new EchoRequest[capacity];
    EchoCallback[] grownCallbacks = new EchoCallback[capacity];
    for (int i = 0; i < size; i++) {
      int from = (head + i) % requests.length;
      grownRequests[i] = requests[from];
      grownCallbacks[i] = callbacks[from];
    }
    requests = grownRequests;
    callbacks = grownCallbacks;
    head = 0;
  }

  /** The ring's present size (for tests: it grows only as far as the waiting pairs need). */
  synchronized int capacity() {
    return requests.length;
  }

  synchronized boolean isEmpty() {
    return size == 0;
  }

  /** Moves up to {@code max} waiting pairs into the arrays given; returns how many. */
  synchronized int drainTo(EchoRequest[] toRequests, EchoCallback[] toCallbacks, int max) {
    int n = Math.min(max, size);
    for (int i = 0; i < n; i++) {
      toRequests[i] = requests[head];
      toCallbacks[i] = callbacks[head];
      requests[head] = null;
      callbacks[head] = null;
      head = (head + 1) % requests.length;
    }
    size -= n;
    return n;
  }
}
