package org.tunnelwatch.probe.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;

/**
 * One request's probes on their way: how many were sent and answered, and whether the request has
 * been answered for good. Touched only by the engine's thread.
 */
final class ConnectFlight {

  final EchoRequest request;
  final EchoCallback callback;
  private final List<Duration> rtts = new ArrayList<>();
  private int sent;
  private int ended;
  private String error;

  ConnectFlight(EchoRequest request, EchoCallback callback) {
    this.request = request;
    this.callback = callback;
  }

  void sent() {
    sent++;
  }

  /** One probe ended; {@code rtt} is null when it got no answer. */
  void ended(Duration rtt) {
    ended++;
    if (rtt != null) {
      rtts.add(rtt);
    }
  }

  /** The probes could not be made (the source address cannot be bound): the rest are not sent. */
  void failed(String why) {
    error = why;
  }

  /** Whether the request has its result: an error, or every probe ended. */
  boolean done() {
    return error != null || ended == request.count();
  }

  EchoResult result() {
    return error != null ? EchoResult.error(request.target(), error) : EchoResult.of(request.target(), sent, rtts);
  }
}
