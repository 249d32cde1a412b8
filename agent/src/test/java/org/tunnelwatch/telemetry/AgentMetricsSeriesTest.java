package org.tunnelwatch.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.time.ManualTime;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.HealthMachine;
import org.tunnelwatch.health.HealthPolicy;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.health.RoundWindow;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.ProbeKind;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelRound;

/** The per-tunnel series: what a reload keeps and drops, and rounds racing scrapes. */
class AgentMetricsSeriesTest {

  private static final TunnelSettings SETTINGS =
      TunnelSettings.builder().ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE).build();

  private final ManualTime clock = new ManualTime();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MicrometerClock(clock));

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static TunnelConfig tunnel(String name, String... targets) {
    return probing(name, java.util.Arrays.stream(targets).map(t -> ProbeTarget.icmp(address(t))).toArray(ProbeTarget[]::new));
  }

  private static TunnelConfig probing(String name, ProbeTarget... targets) {
    return new TunnelConfig(name, name, "net", address("198.51.100.1"), List.of(targets), Optional.empty(), SETTINGS);
  }

  private static TunnelRound round(String tunnel, String target, int replies, Optional<SaStatus> sa) {
    List<Duration> rtts = Collections.nCopies(replies, Duration.ofMillis(3));
    return new TunnelRound(tunnel, Instant.EPOCH, List.of(EchoResult.of(address(target), 3, rtts)), Optional.empty(), sa,
        Optional.empty(), new RoundSample(0, 3, replies, replies * 3_000_000L));
  }

  private List<String> lines(String prefix) {
    return registry.scrape().lines().filter(line -> line.startsWith(prefix)).toList();
  }

  @Nested
  class HonestFigures {

    private HealthState after(int... replies) {
      HealthMachine machine = new HealthMachine(HealthPolicy.from(SETTINGS));
      HealthState health = HealthState.initial(0);
      for (int i = 0; i < replies.length; i++) {
        health = machine.next(health, new RoundSample((i + 1) * 1_000_000_000L, 3, replies[i], replies[i] * 3_000_000L));
      }
      return health;
    }

    @Test
    void beforeTheFirstRoundNeitherLossNorRttIsShown() {
      new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1")), List.of());

      assertThat(lines("tunnelwatch_tunnel_loss_ratio{")).isEmpty();
      assertThat(lines("tunnelwatch_tunnel_rtt_seconds{")).isEmpty();
    }

    @Test
    void aWindowWithoutRepliesShowsFullLossAndNoRttRatherThanZero() {
      AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1")), List.of());

      metrics.roundCompleted(round("a", "203.0.113.1", 0, Optional.empty()), after(0, 0), RemedyState.initial());

      assertThat(lines("tunnelwatch_tunnel_loss_ratio{")).containsExactly("tunnelwatch_tunnel_loss_ratio{tunnel=\"a\"} 1.0");
      assertThat(lines("tunnelwatch_tunnel_rtt_seconds{")).isEmpty();

      metrics.roundCompleted(round("a", "203.0.113.1", 3, Optional.empty()), after(0, 3), RemedyState.initial());

      assertThat(lines("tunnelwatch_tunnel_loss_ratio{")).containsExactly("tunnelwatch_tunnel_loss_ratio{tunnel=\"a\"} 0.5");
      assertThat(lines("tunnelwatch_tunnel_rtt_seconds{")).containsExactly("tunnelwatch_tunnel_rtt_seconds{tunnel=\"a\"} 0.003");
    }
  }

  @Nested
  class Reconfigure {

    @Test
    void keptTunnelsAndTargetsKeepTheirCountsRemovedOnesDisappearNewOnesStartAtZero() {
      AgentMetrics metrics =
          new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1", "203.0.113.2"), tunnel("b", "203.0.113.9")), List.of("wan", "lte"));
      metrics.roundCompleted(round("a", "203.0.113.1", 3, Optional.empty()), HealthState.initial(0), RemedyState.initial());
      metrics.roundCompleted(round("a", "203.0.113.2", 2, Optional.empty()), HealthState.initial(0), RemedyState.initial());
      metrics.roundError("b");

      metrics.reconfigure(List.of(tunnel("a", "203.0.113.1", "203.0.113.3"), tunnel("c", "203.0.113.7")), List.of("wan"), List.of());

      assertThat(lines("tunnelwatch_probes_total{result=\"success\""))
          .containsExactlyInAnyOrder(
              "tunnelwatch_probes_total{result=\"success\",target=\"203.0.113.1\",tunnel=\"a\"} 3.0",
              "tunnelwatch_probes_total{result=\"success\",target=\"203.0.113.3\",tunnel=\"a\"} 0.0",
              "tunnelwatch_probes_total{result=\"success\",target=\"203.0.113.7\",tunnel=\"c\"} 0.0");
      assertThat(lines("tunnelwatch_probe_rtt_seconds_count"))
          .containsExactlyInAnyOrder(
              "tunnelwatch_probe_rtt_seconds_count{target=\"203.0.113.1\",tunnel=\"a\"} 3",
              "tunnelwatch_probe_rtt_seconds_count{target=\"203.0.113.3\",tunnel=\"a\"} 0",
              "tunnelwatch_probe_rtt_seconds_count{target=\"203.0.113.7\",tunnel=\"c\"} 0");
      assertThat(lines("tunnelwatch_round_errors_total{"))
          .containsExactlyInAnyOrder(
              "tunnelwatch_round_errors_total{tunnel=\"a\"} 0.0", "tunnelwatch_round_errors_total{tunnel=\"c\"} 0.0");
      assertThat(registry.scrape()).doesNotContain("tunnel=\"b\"", "203.0.113.2", "uplink=\"lte\"");
      assertThat(lines("tunnelwatch_uplink_up{")).containsExactly("tunnelwatch_uplink_up{uplink=\"wan\"} 0.0");
    }

    @Test
    void aTcpOrUdpTargetIsLabelledWithItsKindAndPortAndAnIcmpOneAsBefore() {
      TunnelConfig mixed = probing("a", ProbeTarget.icmp(address("203.0.113.1")), new ProbeTarget(ProbeKind.TCP, address("203.0.113.5"), 443));
      AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(mixed), List.of());
      metrics.roundCompleted(round("a", "203.0.113.5", 2, Optional.empty()), HealthState.initial(0), RemedyState.initial());

      assertThat(lines("tunnelwatch_probes_total{result=\"success\""))
          .containsExactlyInAnyOrder(
              "tunnelwatch_probes_total{result=\"success\",target=\"203.0.113.1\",tunnel=\"a\"} 0.0",
              "tunnelwatch_probes_total{result=\"success\",target=\"tcp://203.0.113.5:443\",tunnel=\"a\"} 2.0");

      TunnelConfig udpNow = probing("a", ProbeTarget.icmp(address("203.0.113.1")), new ProbeTarget(ProbeKind.UDP, address("203.0.113.5"), 7));
      metrics.reconfigure(List.of(udpNow), List.of(), List.of());

      assertThat(lines("tunnelwatch_probe_rtt_seconds_count"))
          .containsExactlyInAnyOrder(
              "tunnelwatch_probe_rtt_seconds_count{target=\"203.0.113.1\",tunnel=\"a\"} 0",
              "tunnelwatch_probe_rtt_seconds_count{target=\"udp://203.0.113.5:7\",tunnel=\"a\"} 0");
      assertThat(registry.scrape()).doesNotContain("tcp://");
    }

    @Test
    void twoProbesOfOneAddressAreCountedApartByTheirPlaceInTheRound() {
      TunnelConfig twoWays = probing("a", ProbeTarget.icmp(address("203.0.113.1")), new ProbeTarget(ProbeKind.TCP, address("203.0.113.1"), 22));
      AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(twoWays), List.of());
      List<EchoResult> echoes =
          List.of(
              EchoResult.of(address("203.0.113.1"), 3, List.of()),
              EchoResult.of(address("203.0.113.1"), 3, Collections.nCopies(3, Duration.ofMillis(3))));
      metrics.roundCompleted(
          new TunnelRound("a", Instant.EPOCH, echoes, Optional.empty(), Optional.empty(), Optional.empty(),
              new RoundSample(0, 6, 3, 9_000_000L)),
          HealthState.initial(0), RemedyState.initial());

      assertThat(lines("tunnelwatch_probes_total{"))
          .contains(
              "tunnelwatch_probes_total{result=\"timeout\",target=\"203.0.113.1\",tunnel=\"a\"} 3.0",
              "tunnelwatch_probes_total{result=\"success\",target=\"203.0.113.1\",tunnel=\"a\"} 0.0",
              "tunnelwatch_probes_total{result=\"success\",target=\"tcp://203.0.113.1:22\",tunnel=\"a\"} 3.0",
              "tunnelwatch_probes_total{result=\"timeout\",target=\"tcp://203.0.113.1:22\",tunnel=\"a\"} 0.0");
    }

    @Test
    void aRungsDurationAppearsWithItsFirstActionThatRanAndItsCountersFromTheStart() {
      AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1")), List.of());
      assertThat(lines("tunnelwatch_remediations_total{")).hasSize(6);
      assertThat(lines("tunnelwatch_remediation_duration_seconds")).isEmpty();

      metrics.remedied("a", new RemedyOutcome(RemedyAction.RESTART_IKE, RemedyResult.SKIPPED, "", Duration.ZERO), "down");
      assertThat(lines("tunnelwatch_remediation_duration_seconds")).isEmpty();

      metrics.remedied("a", new RemedyOutcome(RemedyAction.RESTART_IKE, RemedyResult.FAILURE, "", Duration.ofSeconds(3)), "down");
      assertThat(lines("tunnelwatch_remediation_duration_seconds_count"))
          .containsExactly("tunnelwatch_remediation_duration_seconds_count{action=\"restart-ike\",tunnel=\"a\"} 1");
      assertThat(lines("tunnelwatch_remediation_duration_seconds_sum"))
          .containsExactly("tunnelwatch_remediation_duration_seconds_sum{action=\"restart-ike\",tunnel=\"a\"} 3.0");
    }

    @Test
    void theSaAgesAppearWithTheFirstRoundThatReadTheSasAndGoWithTheTunnel() {
      AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1")), List.of());
      metrics.roundCompleted(round("a", "203.0.113.1", 3, Optional.empty()), HealthState.initial(0), RemedyState.initial());
      assertThat(lines("tunnelwatch_ike_sa_established_seconds{")).isEmpty();

      ChildSa child = new ChildSa("net", 1, "INSTALLED", 1, 2, 3, 4, java.util.OptionalLong.of(5));
      IkeSa ike = new IkeSa("a", 1, "ESTABLISHED", List.of(child), java.util.OptionalLong.of(3600));
      metrics.roundCompleted(
          round("a", "203.0.113.1", 3, Optional.of(new SaStatus(Optional.of(ike), Optional.of(child)))), HealthState.initial(0),
          RemedyState.initial());
      assertThat(lines("tunnelwatch_ike_sa_established_seconds{")).containsExactly("tunnelwatch_ike_sa_established_seconds{tunnel=\"a\"} 3600.0");
      assertThat(lines("tunnelwatch_child_sa_inbound_idle_seconds{")).containsExactly("tunnelwatch_child_sa_inbound_idle_seconds{tunnel=\"a\"} 5.0");

      metrics.reconfigure(List.of(), List.of(), List.of());
      assertThat(registry.scrape()).doesNotContain("tunnel=\"a\"");
    }

    @Test
    void skippedRoundsAppearWithTheFirstSkip() {
      AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1")), List.of());
      assertThat(lines("tunnelwatch_round_skipped_total{")).isEmpty();
      metrics.roundSkipped("a");
      metrics.roundSkipped("a");
      assertThat(lines("tunnelwatch_round_skipped_total{")).containsExactly("tunnelwatch_round_skipped_total{tunnel=\"a\"} 2.0");
    }
  }

  @Test
  void theDetectionTimesOfAllOutagesAddUpWhileTheGaugeKeepsTheLast() {
    AgentMetrics metrics = new AgentMetrics(registry, clock, List.of(tunnel("a", "203.0.113.1")), List.of());
    long second = 1_000_000_000L;
    HealthState up = new HealthState(TunnelState.UP, 0, 3, RoundWindow.empty(), 0, "up", 0);
    // Failing from 10 s, down at 16 s; failing again from 100 s, down at 104 s.
    metrics.stateChanged("a", up, new HealthState(TunnelState.DOWN, 3, 0, RoundWindow.empty(), 16 * second, "down", 10 * second));
    metrics.stateChanged("a", up, up);
    metrics.stateChanged("a", up, new HealthState(TunnelState.DOWN, 2, 0, RoundWindow.empty(), 104 * second, "down", 100 * second));
    assertThat(lines("tunnelwatch_tunnel_outage_detection_seconds_total{"))
        .containsExactly("tunnelwatch_tunnel_outage_detection_seconds_total{tunnel=\"a\"} 10.0");
    assertThat(lines("tunnelwatch_tunnel_last_outage_detection_seconds{"))
        .containsExactly("tunnelwatch_tunnel_last_outage_detection_seconds{tunnel=\"a\"} 4.0");
  }

  @Test
  void concurrentRoundsAndScrapesLoseNoCountAndNeverThrow() throws Exception {
    int tunnels = 8;
    int rounds = 2_000;
    List<TunnelConfig> configs = new ArrayList<>();
    for (int i = 0; i < tunnels; i++) {
      configs.add(tunnel("t" + i, "203.0.113." + (i + 1)));
    }
    AgentMetrics metrics = new AgentMetrics(registry, clock, configs, List.of());
    ExecutorService pool = Executors.newFixedThreadPool(tunnels + 2);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < tunnels; i++) {
        String name = "t" + i;
        String target = "203.0.113." + (i + 1);
        AgentMetrics.RoundStarts starts = metrics.roundStarts(name, Duration.ofSeconds(1));
        work.add(pool.submit(() -> {
          for (int r = 0; r < rounds; r++) {
            starts.started();
            metrics.roundCompleted(round(name, target, 2, Optional.empty()), HealthState.initial(0), RemedyState.initial());
          }
        }));
      }
      List<Future<Integer>> scrapes = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        scrapes.add(pool.submit(() -> {
          int done = 0;
          for (int i = 0; i < 50; i++) {
            assertThat(registry.scrape()).contains("tunnelwatch_probes_total");
            done++;
          }
          return done;
        }));
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (Future<Integer> f : scrapes) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(50);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < tunnels; i++) {
      String labels = "{target=\"203.0.113." + (i + 1) + "\",tunnel=\"t" + i + "\"}";
      assertThat(lines("tunnelwatch_probe_rtt_seconds_count" + labels)).containsExactly("tunnelwatch_probe_rtt_seconds_count" + labels + " " + 2 * rounds);
      assertThat(lines("tunnelwatch_probes_total{result=\"timeout\",target=\"203.0.113." + (i + 1) + "\""))
          .containsExactly("tunnelwatch_probes_total{result=\"timeout\",target=\"203.0.113." + (i + 1) + "\",tunnel=\"t" + i + "\"} " + (double) rounds);
      assertThat(lines("tunnelwatch_round_lag_seconds_count{tunnel=\"t" + i + "\"}"))
          .containsExactly("tunnelwatch_round_lag_seconds_count{tunnel=\"t" + i + "\"} " + (rounds - 1));
    }
  }
}
