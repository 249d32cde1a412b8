package org.tunnelwatch.probe.icmp;

import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;

/**
 * Requests waiting for the engine thread: a fixed ring of (request, callback) pairs, so that
 * submitting allocates no queue node. Bounded: a full queue refuses, and the caller reports an
 * overloaded engine instead of queueing without limit.
 *
 * <p>Thread-safe: any thread offers, the engine thread takes.
 */
final class SubmissionQueue {

  private final EchoRequest[] requests;
  private final EchoCallback[] callbacks;
  private int head;
  private int size;

  SubmissionQueue(int capacity) {
    requests = new EchoRequest[capacity];
    callbacks = new EchoCallback[capacity];
  }

  synchronized boolean offer(EchoRequest request, EchoCallback callback) {
    if (size == requests.length) {
      return false;
    }
    int at = (head + size) % requests.length;
    requests[at] = request;
    callbacks[at] = callback;
    size++;
    return true;
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
