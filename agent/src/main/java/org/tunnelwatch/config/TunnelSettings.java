package org.tunnelwatch.config;

import java.time.Duration;
import java.util.List;
import org.tunnelwatch.health.TargetsRule;
import org.tunnelwatch.remedy.RemedyAction;

/**
 * How one tunnel is probed, judged and repaired. Every field may be set per tunnel or in
 * {@code defaults}; {@link #DEFAULTS} holds what neither says.
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
 * @param targetsRule how many targets must answer for a round to be good
 * @param trafficCountsAsEcho a round in which packets came in through the CHILD SA counts as good
 *     without echoes (see {@link org.tunnelwatch.health.InboundTraffic})
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
    int maxActionsPerHour,
    TargetsRule targetsRule,
    boolean trafficCountsAsEcho) {

  /** Time between two echoes to the same target (the least iputils ping allows without root). */
  public static final Duration ECHO_SPACING = Duration.ofMillis(200);

  /** The settings of a tunnel for which neither it nor {@code defaults} says otherwise. */
  public static final TunnelSettings DEFAULTS =
      new TunnelSettings(
          Duration.ofSeconds(2),
          3,
          Duration.ofSeconds(1),
          0.1,
          Duration.ZERO,
          3,
          2,
          Duration.ofMinutes(1),
          List.of(RemedyAction.REINITIATE, RemedyAction.REAUTH_IKE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE),
          Duration.ofSeconds(15),
          6,
          TargetsRule.ANY,
          false);

  public TunnelSettings {
    ladder = List.copyOf(ladder);
  }

  /** How long a round of {@code count} echoes takes at most: the last echo plus its timeout. */
  public static Duration roundBudget(int count, Duration timeout) {
    return ECHO_SPACING.multipliedBy(Math.max(0, count - 1)).plus(timeout);
  }

  /** How long a round of these settings takes at most. */
  public Duration roundBudget() {
    return roundBudget(count, timeout);
  }

  /** A builder that starts from {@link #DEFAULTS}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Settings changed one field at a time: the binder applies each key, tests name only what matters. */
  public static final class Builder {
    private Duration interval;
    private int count;
    private Duration timeout;
    private double degradedLoss;
    private Duration degradedRtt;
    private int downAfter;
    private int upAfter;
    private Duration window;
    private List<RemedyAction> ladder;
    private Duration settle;
    private int maxActionsPerHour;
    private TargetsRule targetsRule;
    private boolean trafficCountsAsEcho;

    private Builder(TunnelSettings from) {
      interval = from.interval;
      count = from.count;
      timeout = from.timeout;
      degradedLoss = from.degradedLoss;
      degradedRtt = from.degradedRtt;
      downAfter = from.downAfter;
      upAfter = from.upAfter;
      window = from.window;
      ladder = from.ladder;
      settle = from.settle;
      maxActionsPerHour = from.maxActionsPerHour;
      targetsRule = from.targetsRule;
      trafficCountsAsEcho = from.trafficCountsAsEcho;
    }

    public Builder interval(Duration value) {
      interval = value;
      return this;
    }

    public Builder count(int value) {
      count = value;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    public Builder degradedLoss(double value) {
      degradedLoss = value;
      return this;
    }

    public Builder degradedRtt(Duration value) {
      degradedRtt = value;
      return this;
    }

    public Builder downAfter(int value) {
      downAfter = value;
      return this;
    }

    public Builder upAfter(int value) {
      upAfter = value;
      return this;
    }

    public Builder window(Duration value) {
      window = value;
      return this;
    }

    public Builder ladder(List<RemedyAction> value) {
      ladder = value;
      return this;
    }

    public Builder ladder(RemedyAction... value) {
      return ladder(List.of(value));
    }

    public Builder settle(Duration value) {
      settle = value;
      return this;
    }

    public Builder maxActionsPerHour(int value) {
      maxActionsPerHour = value;
      return this;
    }

    public Builder targetsRule(TargetsRule value) {
      targetsRule = value;
      return this;
    }

    public Builder trafficCountsAsEcho(boolean value) {
      trafficCountsAsEcho = value;
      return this;
    }

    public TunnelSettings build() {
      return new TunnelSettings(
          interval, count, timeout, degradedLoss, degradedRtt, downAfter, upAfter, window, ladder, settle,
          maxActionsPerHour, targetsRule, trafficCountsAsEcho);
    }
  }
}
