package org.tunnelwatch.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * How close together a cron schedule's firings come. A maintenance action interrupts tunnels, so
 * a schedule that fires more often than {@link #MIN_MAINTENANCE_SPACING} is refused: what
 * maintenance is for (a nightly restart, a weekly rekey) is far rarer, and {@code * * * * * ?}
 * would restart the IPsec service every second. Pure.
 */
final class CronSpacing {

  /** The least time a maintenance schedule may leave between two firings. */
  static final Duration MIN_MAINTENANCE_SPACING = Duration.ofMinutes(15);

  /**
   * Firings followed: a schedule with a gap below the minimum shows it within its first firings
   * unless that gap comes only on rare days, and a thousand daily firings span years.
   */
  private static final int MAX_FIRINGS = 1_000;

  private CronSpacing() {}

  /**
   * The shortest time between two of the first firings of {@code cron} after {@code from}, if
   * it fires twice; the search stops at the first gap below {@code floor}.
   */
  static Optional<Duration> shortestGap(CronExpression cron, Instant from, Duration floor) {
    Date previous = cron.getNextValidTimeAfter(Date.from(from));
    Duration shortest = null;
    for (int i = 0; i < MAX_FIRINGS && previous != null; i++) {
      Date next = cron.getNextValidTimeAfter(previous);
      if (next == null) {
        break;
      }
      Duration gap = Duration.between(previous.toInstant(), next.toInstant());
      if (shortest == null || gap.compareTo(shortest) < 0) {
        shortest = gap;
      }
      if (shortest.compareTo(floor) < 0) {
        break;
      }
      previous = next;
    }
    return Optional.ofNullable(shortest);
  }
}
