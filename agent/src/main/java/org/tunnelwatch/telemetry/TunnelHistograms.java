package org.tunnelwatch.telemetry;

/**
 * The {@code tunnel}-labelled histograms, classic buckets over plain arrays ({@link
 * HistogramFamily}), among the {@link StreamedFamilies}. A tunnel keeps the series it records into, so a round costs no label lookup.
 */
final class TunnelHistograms {

  /** RTT buckets from LAN-like to satellite-like paths, in seconds. */
  static final double[] RTT_BUCKETS = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  /** Remediations are shell commands and daemon calls: from a tenth of a second to a minute. */
  static final double[] REMEDIATION_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  /** Rounds late by less than 10 ms are on time; a whole interval late means a skipped round. */
  static final double[] LAG_BUCKETS = {0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10};

  private final HistogramFamily probeRtt;
  private final HistogramFamily remediationDuration;
  private final HistogramFamily roundLag;

  TunnelHistograms(StreamedFamilies families) {
    probeRtt = HistogramFamily.addTo(
        families, MetricNames.PROBE_RTT, "Echo round-trip time", RTT_BUCKETS, MetricNames.TAG_TUNNEL, MetricNames.TAG_TARGET);
    remediationDuration = HistogramFamily.addTo(
        families, MetricNames.REMEDIATION_DURATION, "How long repair actions took, skipped ones excluded", REMEDIATION_BUCKETS,
        MetricNames.TAG_TUNNEL, MetricNames.TAG_ACTION);
    roundLag = HistogramFamily.addTo(
        families, MetricNames.ROUND_LAG, "How much later than one interval after the previous round a round started",
        LAG_BUCKETS, MetricNames.TAG_TUNNEL);
  }

  BucketHistogram rtt(String tunnel, String target) {
    return probeRtt.labelValues(tunnel, target);
  }

  BucketHistogram remediationDuration(String tunnel, String action) {
    return remediationDuration.labelValues(tunnel, action);
  }

  BucketHistogram lag(String tunnel) {
    return roundLag.labelValues(tunnel);
  }

  void forgetTarget(String tunnel, String target) {
    probeRtt.remove(tunnel, target);
  }

  void forgetTunnel(String tunnel) {
    probeRtt.removeIf(labels -> labels.get(0).equals(tunnel));
    remediationDuration.removeIf(labels -> labels.get(0).equals(tunnel));
    roundLag.removeIf(labels -> labels.get(0).equals(tunnel));
  }
}
