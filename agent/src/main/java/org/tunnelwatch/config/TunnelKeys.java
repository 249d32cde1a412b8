package org.tunnelwatch.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.tunnelwatch.config.TunnelSettings.Builder;
import org.tunnelwatch.remedy.RemedyAction;

/** Every key a tunnel or {@code defaults} may set, each declared once with its reader and bounds. */
final class TunnelKeys {

  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  static final Duration MAX_DURATION = Duration.ofDays(1);
  static final Duration MIN_TIMEOUT = Duration.ofMillis(10);

  static final TunnelKey<String> IKE = identity("ike", ConfigValues::name);
  static final TunnelKey<String> CHILD = identity("child", ConfigValues::name);
  /** A failover member's CHILD SA for the LAN traffic when {@code child} is its probe CHILD SA (docs/failover.md). */
  static final TunnelKey<String> TRAFFIC_CHILD = identity("traffic-child", ConfigValues::name);
  static final TunnelKey<InetAddress> SOURCE = identity("source", (v, n, p) -> v.read().address(n, p));
  static final TunnelKey<List<InetAddress>> TARGETS = identity("targets", ConfigValues::targets);
  static final TunnelKey<String> UPLINK = identity("uplink", ConfigValues::name);

  static final TunnelKey<Duration> INTERVAL =
      setting("interval", duration(MIN_INTERVAL, MAX_DURATION), Builder::interval);
  static final TunnelKey<Integer> COUNT = setting("count", integer(1, 100), Builder::count);
  static final TunnelKey<Duration> TIMEOUT =
      setting("timeout", duration(MIN_TIMEOUT, Duration.ofMinutes(1)), Builder::timeout);
  static final TunnelKey<Double> DEGRADED_LOSS =
      setting("degraded-loss", (v, n, p) -> v.read().ratio(n, p), Builder::degradedLoss);
  static final TunnelKey<Duration> DEGRADED_RTT =
      setting("degraded-rtt", duration(Duration.ZERO, Duration.ofMinutes(1)), Builder::degradedRtt);
  static final TunnelKey<Integer> DOWN_AFTER = setting("down-after", integer(1, 1000), Builder::downAfter);
  static final TunnelKey<Integer> UP_AFTER = setting("up-after", integer(1, 1000), Builder::upAfter);
  static final TunnelKey<Duration> WINDOW =
      setting("window", duration(MIN_INTERVAL, MAX_DURATION), Builder::window);
  static final TunnelKey<List<RemedyAction>> LADDER = setting("ladder", ConfigValues::ladder, Builder::ladder);
  static final TunnelKey<Duration> SETTLE = setting("settle", duration(Duration.ZERO, MAX_DURATION), Builder::settle);
  static final TunnelKey<Integer> MAX_ACTIONS_PER_HOUR =
      setting("max-actions-per-hour", integer(0, 3600), Builder::maxActionsPerHour);

  static final List<TunnelKey<?>> ALL =
      List.of(
          IKE, CHILD, TRAFFIC_CHILD, SOURCE, TARGETS, UPLINK, INTERVAL, COUNT, TIMEOUT, DEGRADED_LOSS, DEGRADED_RTT,
          DOWN_AFTER, UP_AFTER, WINDOW, LADDER, SETTLE, MAX_ACTIONS_PER_HOUR);

  /** The keys' names: what a tunnel or {@code defaults} may hold besides a tunnel's name. */
  static final Set<String> NAMES = ALL.stream().map(TunnelKey::name).collect(Collectors.toUnmodifiableSet());

  private TunnelKeys() {}

  private static <T> TunnelKey<T> identity(String name, TunnelKey.Reader<T> reader) {
    return new TunnelKey<>(name, reader, Optional.empty());
  }

  private static <T> TunnelKey<T> setting(String name, TunnelKey.Reader<T> reader, BiConsumer<Builder, T> apply) {
    return new TunnelKey<>(name, reader, Optional.of(apply));
  }

  private static TunnelKey.Reader<Duration> duration(Duration min, Duration max) {
    return (v, n, p) -> v.read().duration(n, p, min, max);
  }

  private static TunnelKey.Reader<Integer> integer(int min, int max) {
    return (v, n, p) -> v.read().integer(n, p, min, max);
  }
}
