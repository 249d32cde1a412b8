package org.tunnelwatch.config;

import java.time.Duration;
import java.util.List;
import org.tunnelwatch.remedy.RemedyAction;

/**
 * How one tunnel is probed, judged and repaired. Every field may be set per tunnel or in
 * {@code defaults}.
 *
 * @param interval time between the starts of two probe rounds
 * @param count echoes sent to each target in a round
 * @param timeout how long to wait for each echo
 * @param degradedLoss loss ratio over the window above which an up tunnel counts as degraded
 * @param degradedRtt mean RTT over the window above which an up tunnel counts as degraded; zero
 *     turns the RTT rule off
 * @param downAfter consecutive failed rounds that make a tunnel down
 * @param upAfter consecutive good rounds that bring it back up
 * @param window how far back loss and RTT are computed
 * @param ladder the repair actions, tried in order
 * @param settle how long to wait after an action before judging it and escalating
 * @param maxActionsPerHour the most actions this tunnel may take in any hour
 */
public record TunnelSettings(
    Duration interval,
    int count,
    Duration timeout,
    double degradedLoss,
    Duration degradedRtt,
    int downAfter,
    int upAfter,
    Duration window,
    List<RemedyAction> ladder,
    Duration settle,
    int maxActionsPerHour) {

  /** Time between two echoes to the same target (the least iputils ping allows without root). */
  public static final Duration ECHO_SPACING = Duration.ofMillis(200);

  public TunnelSettings {
    ladder = List.copyOf(ladder);
  }

  /** How long a round of {@code count} echoes takes at most: the last echo plus its timeout. */
  public static Duration roundBudget(int count, Duration timeout) {
    return ECHO_SPACING.multipliedBy(Math.max(0, count - 1)).plus(timeout);
  }
}
