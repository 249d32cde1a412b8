package org.tunnelwatch.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.tunnelwatch.config.TunnelConfig;
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
 * A round whose SAs could not be read leaves the values as they were. Thread-safe.
 */
public final class SaMetrics implements TunnelEvents {

  private final Map<String, GaugeValue> established = new ConcurrentHashMap<>();
  private final Map<String, GaugeValue> inboundIdle = new ConcurrentHashMap<>();

  public SaMetrics(MeterRegistry registry, List<TunnelConfig> tunnels) {
    for (TunnelConfig tunnel : tunnels) {
      Tags tags = Tags.of(MetricNames.TAG_TUNNEL, tunnel.name());
      GaugeValue age = new GaugeValue(0);
      GaugeValue idle = new GaugeValue(Double.NaN);
      established.put(tunnel.name(), age);
      inboundIdle.put(tunnel.name(), idle);
      Gauge.builder(MetricNames.IKE_SA_ESTABLISHED, age, GaugeValue::get)
          .description("Seconds the tunnel's IKE SA has been established, 0 without one")
          .tags(tags)
          .register(registry);
      Gauge.builder(MetricNames.CHILD_SA_INBOUND_IDLE, idle, GaugeValue::get)
          .description("Seconds since the tunnel's CHILD SA last received a packet, NaN while unknown")
          .tags(tags)
          .register(registry);
    }
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    GaugeValue age = established.get(round.tunnel());
    GaugeValue idle = inboundIdle.get(round.tunnel());
    if (age == null || idle == null || round.sa().isEmpty()) {
      return;
    }
    var sa = round.sa().get();
    age.set(sa.ike().filter(IkeSa::established).flatMap(i -> box(i.establishedSeconds())).orElse(0.0));
    idle.set(sa.child().filter(ChildSa::installed).flatMap(c -> box(c.inboundIdleSeconds())).orElse(Double.NaN));
  }

  private static Optional<Double> box(OptionalLong value) {
    return value.isPresent() ? Optional.of((double) value.getAsLong()) : Optional.empty();
  }
}
