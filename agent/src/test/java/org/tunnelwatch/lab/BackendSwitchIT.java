package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.ipsec.swanctl.SwanctlBackend;
import org.tunnelwatch.ipsec.vici.ViciBackend;

/**
 * The failover switching calls of the strongSwan backends (vici and swanctl) against real charon
 * in the one-hub lab: terminating one CHILD SA leaves its IKE SA alone and does not fail when the
 * SA is gone already, and carrying the traffic replaces an installed CHILD SA by a new one (the
 * last installed) with traffic flowing through it.
 */
class BackendSwitchIT {

  private static final Duration BOUND = Duration.ofSeconds(30);

  private Lab lab;

  @BeforeEach
  void setUp() {
    LabPrerequisites.require();
    lab = Lab.up();
  }

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
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
}
