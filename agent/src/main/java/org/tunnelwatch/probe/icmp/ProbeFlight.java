package org.tunnelwatch.probe.icmp;

import org.tunnelwatch.probe.EchoCallback;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.EchoStatus;

/**
 * One submitted request while its echoes are in flight: when the next echo is due, which came
 * back and how fast. Pooled and reused by the engine, so it holds no per-request garbage beyond
 * the request and callback it was given.
 *
 * <p>Not thread-safe: owned by the engine thread from submission to completion.
 */
final class ProbeFlight {

  /** Index in the engine's pool; a send timer names the flight by it. */
  final int index;

  EchoRequest request;
  EchoCallback callback;
  IcmpSocket socket;
  boolean ipv6;
  /** The target's address bytes (4 or 16), compared with each reply's sender. */
  final byte[] target = new byte[16];
  int targetLength;
  long spacingNanos;
  long timeoutNanos;
  long startedAt;

  int count;
  /** Echoes handed to the socket so far (also the index of the next one). */
  int attempted;
  /** Echoes the kernel accepted. */
  int sent;
  /** Echoes that are answered, expired or failed to send: the flight is done when all are. */
  int settled;
  long[] rttNanos = new long[8];
  boolean[] answered = new boolean[8];
  String firstSendError;

  ProbeFlight(int index) {
    this.index = index;
  }

  void start(EchoRequest request, EchoCallback callback, IcmpSocket socket, long now) {
    this.request = request;
    this.callback = callback;
    this.socket = socket;
    this.ipv6 = request.target() instanceof Inet6Address;
    byte[] address = request.target().getAddress();
    System.arraycopy(address, 0, target, 0, address.length);
    this.targetLength = address.length;
    this.spacingNanos = request.spacing().toNanos();
    this.timeoutNanos = request.timeout().toNanos();
    this.startedAt = now;
    this.count = request.count();
    this.attempted = 0;
    this.sent = 0;
    this.settled = 0;
    this.firstSendError = null;
    if (rttNanos.length < count) {
      rttNanos = new long[count];
      answered = new boolean[count];
    }
    for (int i = 0; i < count; i++) {
      answered[i] = false;
    }
  }

  boolean targetIs(byte[] address, int offset, int length) {
    if (length != targetLength) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (address[offset + i] != target[i]) {
        return false;
      }
    }
    return true;
  }

  long nextSendAt() {
    return startedAt + attempted * spacingNanos;
  }

  boolean allAttempted() {
    return attempted >= count;
  }

  boolean done() {
    return allAttempted() && settled >= count;
  }

  void answer(int echo, long rtt) {
    rttNanos[echo] = rtt;
    answered[echo] = true;
    settled++;
  }

  /**
   * The result, in echo order. When no echo could be sent at all, the probe could not be made:
   * an error that says why (as ping says "bind: Cannot assign requested address").
   */
  EchoResult result() {
    if (sent == 0) {
      return EchoResult.error(request.target(), firstSendError == null ? "no echo was sent" : firstSendError);
    }
    List<Duration> rtts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (answered[i]) {
        rtts.add(Duration.ofNanos(rttNanos[i]));
      }
    }
    return new EchoResult(request.target(), sent, rtts, rtts.isEmpty() ? EchoStatus.TIMEOUT : EchoStatus.SUCCESS, "");
  }

  /** Drops the references, so that a pooled flight keeps nothing alive. */
  void release() {
    request = null;
    callback = null;
    socket = null;
  }
}
