package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.List;
import org.tunnelwatch.config.TunnelSettings;

/**
 * How a broken tunnel is repaired.
 *
 * @param ladder actions in the order they are tried
 * @param settle time after an action before the tunnel is judged again and the next rung tried
 * @param maxActionsPerHour the most actions in any sliding hour
 */
public record RemedyPolicy(List<RemedyAction> ladder, Duration settle, int maxActionsPerHour) {

  public RemedyPolicy {
    ladder = List.copyOf(ladder);
    if (ladder.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one rung");
    }
  }

  public static RemedyPolicy from(TunnelSettings settings) {
    return new RemedyPolicy(settings.ladder(), settings.settle(), settings.maxActionsPerHour());
  }
}
