package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.time.TimeSource;

/**
 * The failover groups' meters, kept across reloads (the agent's registry outlives a generation):
 *
 * <pre>
 * tunnelwatch_failover_active{group="central",tunnel="via-hub-a"} 0.0
 * tunnelwatch_failover_active{group="central",tunnel="via-hub-b"} 1.0
 * tunnelwatch_failovers_total{from="via-hub-a",group="central",reason="failover",to="via-hub-b"} 1.0
 * tunnelwatch_failover_backup_seconds_total{group="central"} 42.5
 * </pre>
 *
 * <p>Thread-safe: events come from the judging and failover threads, scrapes from the HTTP server.
 */
final class FailoverMetrics {

  /** One group's time on a backup. */
  private static final class BackupTime {
    private long accumulatedNanos;
    private long sinceNanos = -1; // on a backup since then, or -1

    synchronized void onBackup(boolean backup, long now) {
      if (backup && sinceNanos < 0) {
        sinceNanos = now;
      } else if (!backup && sinceNanos >= 0) {
        accumulatedNanos += now - sinceNanos;
        sinceNanos = -1;
      }
    }

    synchronized double seconds(long now) {
      long nanos = accumulatedNanos + (sinceNanos >= 0 ? now - sinceNanos : 0);
      return nanos / 1e9;
    }
  }

  private final MeterRegistry registry;
  private final TimeSource time;
  /** A member of a group: the key of its active gauge. */
  private record Member(String group, String tunnel) {}

  private final Map<Member, GaugeValue> active = new ConcurrentHashMap<>();
  private final Map<String, BackupTime> backup = new ConcurrentHashMap<>();

  FailoverMetrics(MeterRegistry registry, TimeSource time) {
    this.registry = registry;
    this.time = time;
  }

  void active(String group, List<String> members, String activeMember) {
    for (String member : members) {
      GaugeValue value =
          active.computeIfAbsent(
              new Member(group, member),
              k -> {
                GaugeValue v = new GaugeValue(0);
                Gauge.builder(MetricNames.FAILOVER_ACTIVE, v, GaugeValue::get)
                    .tags(Tags.of(MetricNames.TAG_GROUP, group, MetricNames.TAG_TUNNEL, member))
                    .description("1 for the member of the failover group that carries its traffic, 0 for the others")
                    .register(registry);
                return v;
              });
      value.set(member.equals(activeMember) ? 1 : 0);
    }
    BackupTime t =
        backup.computeIfAbsent(
            group,
            g -> {
              BackupTime b = new BackupTime();
              FunctionCounter.builder(MetricNames.FAILOVER_BACKUP_TIME, b, x -> x.seconds(time.monotonicNanos()))
                  .tags(Tags.of(MetricNames.TAG_GROUP, g))
                  .description("seconds the group's traffic has gone through a member other than its first")
                  .register(registry);
              return b;
            });
    t.onBackup(!members.isEmpty() && !members.get(0).equals(activeMember), time.monotonicNanos());
  }

  /**
   * After a reload: the series of groups, and of members, no longer configured are dropped (a
   * group's switch counts go with it), so no dashboard shows a group that is not there.
   */
  void retain(Map<String, List<String>> membersByGroup) {
    for (Member m : Set.copyOf(active.keySet())) {
      if (!membersByGroup.getOrDefault(m.group(), List.of()).contains(m.tunnel())) {
        registry.find(MetricNames.FAILOVER_ACTIVE).tags(MetricNames.TAG_GROUP, m.group(), MetricNames.TAG_TUNNEL, m.tunnel()).meters()
            .forEach(registry::remove);
        active.remove(m);
      }
    }
    for (String group : Set.copyOf(backup.keySet())) {
      if (!membersByGroup.containsKey(group)) {
        registry.find(MetricNames.FAILOVER_BACKUP_TIME).tag(MetricNames.TAG_GROUP, group).meters().forEach(registry::remove);
        registry.find(MetricNames.FAILOVERS).tag(MetricNames.TAG_GROUP, group).meters().forEach(registry::remove);
        backup.remove(group);
      }
    }
  }

  void switched(Switch s) {
    Counter.builder(MetricNames.FAILOVERS)
        .tags(
            Tags.of(
                MetricNames.TAG_GROUP, s.group(),
                MetricNames.TAG_FROM, s.from(),
                MetricNames.TAG_TO, s.to(),
                MetricNames.TAG_REASON, s.reason().configName()))
        .description("switches of a failover group's traffic from one member to another")
        .register(registry)
        .increment();
  }
}
