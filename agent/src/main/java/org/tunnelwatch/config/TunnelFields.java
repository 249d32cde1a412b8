package org.tunnelwatch.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tunnelwatch.remedy.RemedyAction;

/**
 * The tunnel keys as written in one place, either a tunnel or {@code defaults}; a field is null
 * where the key was not written or was invalid (which has been reported already), and {@code
 * written} tells the two apart. A tunnel's
 * effective settings are its own fields, else the defaults' fields, else the built-in defaults.
 */
record TunnelFields(
    Located<String> ike,
    Located<String> child,
    Located<InetAddress> source,
    Located<List<InetAddress>> targets,
    Located<String> uplink,
    Located<Duration> interval,
    Located<Integer> count,
    Located<Duration> timeout,
    Located<Double> degradedLoss,
    Located<Duration> degradedRtt,
    Located<Integer> downAfter,
    Located<Integer> upAfter,
    Located<Duration> window,
    Located<List<RemedyAction>> ladder,
    Located<Duration> settle,
    Located<Integer> maxActionsPerHour,
    Set<String> written) {

  /** Keys that may appear both in a tunnel and in {@code defaults}. */
  static final Set<String> KEYS =
      Set.of(
          "ike", "child", "source", "targets", "uplink", "interval", "count", "timeout",
          "degraded-loss", "degraded-rtt", "down-after", "up-after", "window", "ladder", "settle",
          "max-actions-per-hour");

  static final TunnelFields NONE =
      new TunnelFields(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, Set.of());

  /** These fields where written, else {@code fallback}'s. */
  TunnelFields orElse(TunnelFields fallback) {
    return new TunnelFields(
        pick(ike, fallback.ike),
        pick(child, fallback.child),
        pick(source, fallback.source),
        pick(targets, fallback.targets),
        pick(uplink, fallback.uplink),
        pick(interval, fallback.interval),
        pick(count, fallback.count),
        pick(timeout, fallback.timeout),
        pick(degradedLoss, fallback.degradedLoss),
        pick(degradedRtt, fallback.degradedRtt),
        pick(downAfter, fallback.downAfter),
        pick(upAfter, fallback.upAfter),
        pick(window, fallback.window),
        pick(ladder, fallback.ladder),
        pick(settle, fallback.settle),
        pick(maxActionsPerHour, fallback.maxActionsPerHour),
        union(written, fallback.written));
  }

  /** Whether {@code key} was written here or in the fallback, valid or not. */
  boolean wrote(String key) {
    return written.contains(key);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  private static <T> Located<T> pick(Located<T> own, Located<T> fallback) {
    return own != null ? own : fallback;
  }
}
