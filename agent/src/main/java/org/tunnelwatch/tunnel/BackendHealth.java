package org.tunnelwatch.tunnel;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.ipsec.Backoff;

/**
 * Whether the IPsec daemon answers, and when to ask it again while it does not. The daemon is
 * <em>up</em> while the last attempt to list its SAs succeeded and <em>down</em> once one failed
 * (charon not running, its socket gone, swanctl failing); unknown until the first attempt.
 *
 * <p>For the repair ladder the daemon is unreachable only once a second attempt in a row has
 * failed, after the first backoff: the ladder then goes straight to a service restart, which
 * touches every tunnel on the gateway, and one slow answer from a busy daemon must not cause that.
 *
 * <p>While it is down, the SA reader asks again only after a backoff (1 s, doubling, at most 30
 * s), whatever the number of tunnels, so that a gateway with many tunnels does not hammer a dead
 * socket; {@link #retryNow()} (after an action such as a service restart) lets the next read try
 * at once. One log line when the daemon stops answering and one when it answers again, never
 * one per round; listeners hear of every change (the {@code tunnelwatch_backend_up} gauge).
 *
 * <p>Thread-safe.
 */
public final class BackendHealth {

  private static final Logger log = LoggerFactory.getLogger(BackendHealth.class);

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);
  /** Failed attempts in a row after which the ladder counts the daemon as unreachable. */
  static final int UNREACHABLE_AFTER = 2;

  private enum Known { UNKNOWN, UP, DOWN }

  private final String backend;
  private final TunnelEvents events;
  private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);

  private Known known = Known.UNKNOWN;
  private long downSinceNanos;
  private long retryAtNanos;
  private int failuresInARow;

  /**
   * @param backend the backend's name for the log, such as {@code vici (unix:///var/run/charon.vici)}
   * @param events told of each change
   */
  public BackendHealth(String backend, TunnelEvents events) {
    this.backend = backend;
    this.events = events;
  }

  /** Whether the daemon may be asked now: always, unless it is down and its retry is not due. */
  synchronized boolean mayAsk(long nowNanos) {
    return known != Known.DOWN || nowNanos - retryAtNanos >= 0;
  }

  /**
   * Whether the repair ladder may count on the daemon: yes unless {@link #UNREACHABLE_AFTER}
   * attempts in a row failed. Unknown counts as reachable: before the first read nothing says
   * otherwise.
   */
  public synchronized boolean reachable() {
    return failuresInARow < UNREACHABLE_AFTER;
  }

  /** The daemon answered. */
  synchronized void answered(long nowNanos) {
    if (known == Known.DOWN) {
      log.info(
          "the IPsec daemon answers again through {} after {}s; rounds read its SAs again",
          backend, Math.max(0, (nowNanos - downSinceNanos) / 1_000_000_000L));
    }
    Known before = known;
    known = Known.UP;
    failuresInARow = 0;
    backoff.reset();
    if (before != Known.UP) {
      events.backendChanged(true);
    }
  }

  /** The daemon did not answer; the next attempt waits for the backoff. */
  synchronized void failed(long nowNanos, String problem) {
    failuresInARow++;
    if (known != Known.DOWN) {
      log.warn(
          "the IPsec daemon does not answer through {}: {}; retrying with backoff ({}s up to {}s), repairs"
              + " that need the daemon are skipped and only restart-service is tried meanwhile",
          backend, problem, FIRST_RETRY.toSeconds(), MAX_RETRY.toSeconds());
      downSinceNanos = nowNanos;
      known = Known.DOWN;
      events.backendChanged(false);
    }
    retryAtNanos = nowNanos + backoff.next().toNanos();
  }

  /** Lets the next read ask at once (after an action that may have brought the daemon back). */
  synchronized void retryNow(long nowNanos) {
    retryAtNanos = nowNanos;
  }
}
