package org.tunnelwatch.telemetry;

import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyResult;

/**
 * The counts of one rung of one tunnel's ladder: actions by result, and how long those that ran
 * took. Part of a {@link TunnelSeries}, whose lock guards it.
 */
final class RungSeries {

  final RemedyAction action;
  /** The {@code action} label. */
  final String label;
  /** By {@link RemedyResult#ordinal()}. */
  final long[] results = new long[RemedyResult.values().length];
  /** Made with the first action that ran: until then the rung has no duration series. */
  BucketHistogram duration;

  RungSeries(RemedyAction action) {
    this.action = action;
    this.label = action.configName();
  }
}
