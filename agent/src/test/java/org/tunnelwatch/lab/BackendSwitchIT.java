package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.ipsec.Backoff;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.SaEventListener;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.ipsec.swanctl.SwanctlBackend;
import org.tunnelwatch.ipsec.vici.ViciBackend;
import org.tunnelwatch.ipsec.vici.ViciEventStream;
import org.tunnelwatch.ipsec.vici.ViciMessage;
import org.tunnelwatch.ipsec.vici.ViciSaEvents;

/**
 * The failover switching calls of the strongSwan backends (vici and swanctl) against real charon
 * in the one-hub lab: terminating one CHILD SA leaves its IKE SA alone and does not fail when the
 * SA is gone already, and carrying the traffic replaces an installed CHILD SA by a new one (the
 * last installed) with traffic flowing through it; a rekey of a CHILD SA is heard from charon's
 * events with its connection and name (what a hot failover group answers).
 */
class BackendSwitchIT extends LabScenario {

  @BeforeEach
  void upLab() {
    lab = Lab.up();
  }

  static Stream<BackendType> backends() {
    return Stream.of(BackendType.VICI, BackendType.SWANCTL);
  }

  private IpsecBackend backend(BackendType type) {
    BackendConfig config =
        new BackendConfig(type, java.nio.file.Path.of("/usr/sbin/swanctl"), lab.env.get("TW_SAT_VICI"), "true", Duration.ofSeconds(10));
    return type == BackendType.VICI ? new ViciBackend(config, new ProcessCommandRunner()) : new SwanctlBackend(config, new ProcessCommandRunner());
  }

  private SaStatus status(IpsecBackend backend) throws Exception {
    return SaStatus.of(backend.listSas(), lab.env.get("TW_IKE"), lab.env.get("TW_CHILD"));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void terminatingTheChildSaKeepsTheIkeSaAndAGoneOneIsNoFailure(BackendType type) throws Exception {
    IpsecBackend backend = backend(type);
    assertThat(status(backend).childInstalled()).isTrue();

    long started = System.nanoTime();
    backend.terminateChild(lab.env.get("TW_IKE"), lab.env.get("TW_CHILD"));
    await("CHILD SA gone").atMost(BOUND).until(() -> status(backend).child().isEmpty());
    assertThat(status(backend).ike()).as("the IKE SA stays").isPresent();
    backend.terminateChild(lab.env.get("TW_IKE"), lab.env.get("TW_CHILD"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the peer").isLessThan(Duration.ofSeconds(10));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void carryingTheTrafficReplacesAnInstalledChildSaAndTrafficFlowsThroughTheNewOne(BackendType type) throws Exception {
    IpsecBackend backend = backend(type);
    long before = status(backend).child().map(ChildSa::uniqueId).orElseThrow();

    backend.carryTraffic(lab.env.get("TW_IKE"), lab.env.get("TW_CHILD"));

    Optional<ChildSa> after = status(backend).child();
    assertThat(after).get().extracting(ChildSa::uniqueId).isNotEqualTo(before);
    assertThat(after.get().installed()).isTrue();
    await("traffic flows").atMost(BOUND).until(lab::trafficFlows);
  }

  @org.junit.jupiter.api.Test
  void aRekeyOfTheChildSaIsHeardWithItsConnectionAndName() throws Exception {
    List<String> rekeyed = new CopyOnWriteArrayList<>();
    List<String> subscribed = new CopyOnWriteArrayList<>();
    ViciSaEvents events =
        new ViciSaEvents(
            new SaEventListener() {
              @Override
              public void saDown(String ike, Optional<String> child, String event) {}

              @Override
              public void childRekeyed(String ike, String child) {
                rekeyed.add(ike + "/" + child);
              }

              @Override
              public void resync() {}
            });
    try (ViciEventStream stream =
        new ViciEventStream(
            ViciBackend.socketPath(lab.env.get("TW_SAT_VICI")),
            ViciSaEvents.EVENTS,
            new ViciEventStream.Listener() {
              @Override
              public void subscribed(boolean again) {
                subscribed.add("yes");
              }

              @Override
              public void event(String name, ViciMessage message) {
                events.event(name, message);
              }
            },
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
            Duration.ofSeconds(5))) {
      stream.start();
      await("subscribed").atMost(BOUND).until(() -> !subscribed.isEmpty());

      backend(BackendType.SWANCTL).rekeyChild(lab.env.get("TW_IKE"), lab.env.get("TW_CHILD"));

      await("child-rekey heard").atMost(BOUND).until(() -> rekeyed.contains(lab.env.get("TW_IKE") + "/" + lab.env.get("TW_CHILD")));
    }
  }
}
