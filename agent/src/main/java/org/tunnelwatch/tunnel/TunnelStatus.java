package org.tunnelwatch.tunnel;

import java.time.Instant;

/**
 * A tunnel as the status API and {@code tunnelwatch status} show it. Immutable; replaced after
 * every round.
 *
 * @param name the tunnel's name
 * @param state {@code unknown}, {@code up}, {@code degraded} or {@code down}
 * @param since when it entered that state (ISO-8601)
 * @param reason why it is in that state
 * @param lossRatio echo loss over the window, 0..1 (unsendable echoes count as lost); null before
 *     the first echo was attempted
 * @param rttSeconds mean RTT over the window; null without a reply in it
 * @param uplink the uplink's name, or null
 * @param uplinkUp whether the uplink is up (true without an uplink)
 * @param sa the daemon's view of the SAs, or why it could not be read
 * @param remedy what the repair logic is doing, in words
 * @param lastAction the last action taken or skipped, or null
 * @param ladderExhausted every rung has been tried since the tunnel was last up
 * @param probeError a problem with the probes themselves (such as a missing source address), or
 *     null
 */
public record TunnelStatus(
    String name,
    String state,
    String since,
    String reason,
    Double lossRatio,
    Double rttSeconds,
    String uplink,
    boolean uplinkUp,
    String sa,
    String remedy,
    LastAction lastAction,
    boolean ladderExhausted,
    String probeError) {

  /**
   * The last action.
   *
   * @param action its name, as in the ladder
   * @param result {@code success}, {@code failure} or {@code skipped}
   * @param at when (ISO-8601)
   * @param detail the daemon's complaint or the reason for skipping
   */
  public record LastAction(String action, String result, String at, String detail) {}

  /** A figure as the API shows it: null (JSON null) rather than NaN while unknown. */
  static Double known(double value) {
    return Double.isNaN(value) ? null : value;
  }

  static String iso(Instant instant) {
    return instant.toString();
  }
}
