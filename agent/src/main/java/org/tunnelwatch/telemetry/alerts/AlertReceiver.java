package org.tunnelwatch.telemetry.alerts;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Somewhere alerts are delivered over HTTP: an Alertmanager or a webhook. */
interface AlertReceiver {

  /** {@code alertmanager} or {@code webhook}, for logs and the metric label. */
  String kind();

  /** The configured URL, for logs and the metric label. */
  URI url();

  /**
   * Delivers the alerts; returns only once the receiver accepted them (a 2xx answer).
   *
   * @throws IOException with a one-line reason: unreachable, timed out, or the status and the
   *     first line of the answer
   */
  void send(List<Alert> alerts, Instant now) throws IOException;
}
