package org.tunnelwatch.telemetry;

import java.net.InetAddress;

/**
 * The counts of one target of one tunnel: echoes by outcome and their round-trip times. Part of
 * a {@link TunnelSeries}, whose lock guards it (the RTT data point is thread-safe itself).
 */
final class TargetSeries {

  final InetAddress address;
  /** The {@code target} label, made once. */
  final String label;
  long success;
  long timeout;
  long error;
  final BucketHistogram rtt;

  TargetSeries(InetAddress address, String label, BucketHistogram rtt) {
    this.address = address;
    this.label = label;
    this.rtt = rtt;
  }
}
