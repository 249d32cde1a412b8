package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * The ages the daemon reports for a tunnel's SAs, after every round:
 *
 * <pre>
 * tunnelwatch_ike_sa_established_seconds{tunnel="sg1-sgcentral"} 3600.0
 * tunnelwatch_child_sa_inbound_idle_seconds{tunnel="sg1-sgcentral"} 0.0
 * </pre>
 *
 * A round whose SAs could not be read leaves the values as they were. A tunnel's gauges appear
 * with its first round whose SAs could be read. Thread-safe.
 */
public final class SaMetrics implements TunnelEvents {

  private final MeterRegistry registry;
  private final Map<String, GaugeValue> established = new ConcurrentHashMap<>();
  private final Map<String, GaugeValue> inboundIdle = new ConcurrentHashMap<>();

  /** Gauges appear with a tunnel's first round, so that a reload's new tunnels get theirs too. */
  public SaMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private GaugeValue established(String tunnel) {
    return established.computeIfAbsent(tunnel, t -> {
      GaugeValue age = new GaugeValue(0);
      Gauge.builder(MetricNames.IKE_SA_ESTABLISHED, age, GaugeValue::get)
          .description("Seconds the tunnel's IKE SA has been established, 0 without one")
          .tags(Tags.of(MetricNames.TAG_TUNNEL, t))
          .register(registry);
      return age;
    });
  }

  private GaugeValue inboundIdle(String tunnel) {
    return inboundIdle.computeIfAbsent(tunnel, t -> {
      GaugeValue idle = new GaugeValue(Double.NaN);
      Gauge.builder(MetricNames.CHILD_SA_INBOUND_IDLE, idle, GaugeValue::get)
          .description("Seconds since the tunnel's CHILD SA last received a packet, NaN while unknown")
          .tags(Tags.of(MetricNames.TAG_TUNNEL, t))
          .register(registry);
      return idle;
    });
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    if (round.sa().isEmpty()) {
      return;
    }
    GaugeValue age = established(round.tunnel());
    GaugeValue idle = inboundIdle(round.tunnel());
    var sa = round.sa().get();
    age.set(sa.ike().filter(IkeSa::established).flatMap(i -> box(i.establishedSeconds())).orElse(0.0));
    idle.set(sa.child().filter(ChildSa::installed).flatMap(c -> box(c.inboundIdleSeconds())).orElse(Double.NaN));
  }

  private static Optional<Double> box(OptionalLong value) {
    return value.isPresent() ? Optional.of((double) value.getAsLong()) : Optional.empty();
  }
}
