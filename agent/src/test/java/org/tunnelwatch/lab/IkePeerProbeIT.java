package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.NativeThreadContext;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.ike.IkePeerProbe;
import org.tunnelwatch.ipsec.ike.IkeProbeResult;
import org.tunnelwatch.ipsec.vici.ViciBackend;

/**
 * The IKE ping against a real charon: from inside the satellite's namespace, from its WAN
 * address, to the hub's IKE ports, with the hub healthy, cut off, with a dead data plane, and
 * killed. Each case also checks that the probe left no IKE SA on the hub and prints what the hub's
 * charon logged for it (the probe leaves "received proposals unacceptable" and a
 * CONNECTING => DESTROYING of an unnamed IKE SA there, at the default log level).
 *
 * <p>Run alone: {@code mvn -B -q -DskipTests package && mvn -B verify -Dit.test=IkePeerProbeIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 * (the last flag for the packaging module, which has no such test).
 */
class IkePeerProbeIT extends LabScenario {

  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  private final IkePeerProbe probe = new IkePeerProbe();
  private InetAddress satWan;
  private InetAddress hubWan;

  @BeforeEach
  void bringUp() throws Exception {
    lab = Lab.up();
    satWan = InetAddress.getByName(lab.env.get("TW_SAT_WAN")); // IP literals: no DNS
    hubWan = InetAddress.getByName(lab.env.get("TW_HUB_WAN"));
  }

  @Test
  void theSatellitesIkeSaNamesTheHubsIkeEndpoint() throws Exception {
    String uri = lab.env.get("TW_SAT_VICI");
    BackendConfig config = new BackendConfig(BackendType.VICI, Path.of("/usr/sbin/swanctl"), uri, "true", Duration.ofSeconds(10));
    IkeSa ike;
    try (ViciBackend backend = new ViciBackend(config, new ProcessCommandRunner())) {
      ike = backend.listSas().stream().filter(IkeSa::established).findFirst().orElseThrow();
    }
    // encap = yes moves IKE to 4500 at once, so the SA's endpoints are on 4500.
    assertThat(ike.remote().orElseThrow().socketAddress()).isEqualTo(new InetSocketAddress(hubWan, 4500));
    assertThat(ike.local().orElseThrow().address()).isEqualTo(satWan);

    IkeProbeResult result = probeFromSatellite(ike.remote().get().socketAddress(), ike.local().map(e -> e.address()));

    assertThat(result).isInstanceOf(IkeProbeResult.Answered.class).extracting("what").isEqualTo("NO_PROPOSAL_CHOSEN");
  }

  @Test
  void aLiveHubAnswersOn500And4500AndKeepsNothing() throws Exception {
    for (int port : new int[] {500, 4500}) {
      long logFrom = hubLogSize();

      IkeProbeResult result = probeFromSatellite(new InetSocketAddress(hubWan, port), Optional.of(satWan));

      assertThat(result).as("port " + port).isInstanceOf(IkeProbeResult.Answered.class).extracting("what")
          .isEqualTo("NO_PROPOSAL_CHOSEN");
      assertThat(((IkeProbeResult.Answered) result).requestsSent()).isEqualTo(1);
      String logged = hubLogSince(logFrom);
      report("healthy hub, port " + port, result, logged);
      assertThat(logged).contains("is initiating an IKE_SA").contains("received proposals unacceptable");
      assertOnlyTheRealIkeSaOnTheHub();
    }
    assertThat(lab.trafficFlows()).as("the tunnel still carries traffic").isTrue();
  }

  @Test
  void aCutPathIsSilent() throws Exception {
    lab.fault("cut");
    long logFrom = hubLogSize();

    for (int port : new int[] {500, 4500}) {
      IkeProbeResult result = probeFromSatellite(new InetSocketAddress(hubWan, port), Optional.of(satWan));
      report("cut, port " + port, result, "");
      assertThat(result).as("port " + port).isInstanceOf(IkeProbeResult.Silent.class);
      assertThat(((IkeProbeResult.Silent) result).requestsSent()).isEqualTo(2);
    }
    String logged = hubLogSince(logFrom);
    assertThat(logged).as("the hub's charon never saw the probes").doesNotContain("is initiating an IKE_SA");
  }

  @Test
  void withOnlyTheDataPlaneDeadTheHubStillAnswers() throws Exception {
    lab.fault("cut");
    assertThat(probeFromSatellite(new InetSocketAddress(hubWan, 500), Optional.of(satWan))).isInstanceOf(IkeProbeResult.Silent.class);
    lab.heal();
    lab.fault("dataplane");
    assertThat(lab.trafficFlows()).as("the data plane is dead").isFalse();

    for (int port : new int[] {500, 4500}) {
      long logFrom = hubLogSize();
      IkeProbeResult result = probeFromSatellite(new InetSocketAddress(hubWan, port), Optional.of(satWan));
      report("dataplane fault, port " + port, result, hubLogSince(logFrom));
      assertThat(result).as("port " + port).isInstanceOf(IkeProbeResult.Answered.class).extracting("what")
          .isEqualTo("NO_PROPOSAL_CHOSEN");
    }
    assertOnlyTheRealIkeSaOnTheHub();
  }

  @Test
  void aKilledHubDoesNotAnswer() throws Exception {
    lab.gateway("kill", "hub");

    for (int port : new int[] {500, 4500}) {
      IkeProbeResult result = probeFromSatellite(new InetSocketAddress(hubWan, port), Optional.of(satWan));
      report("hub charon killed, port " + port, result, "");
      assertThat(result.answered()).as("port " + port + ": " + result).isFalse();
    }
  }

  @Test
  void anAddressWithoutARouteFailsAtOnce() throws Exception {
    // The satellite's namespace has no default route: 198.18.0.0/15 is unreachable from it.
    InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getByName("198.18.200.1"), 500);

    IkeProbeResult result = probeFromSatellite(nowhere, Optional.empty());

    report("no route", result, "");
    assertThat(result).isInstanceOf(IkeProbeResult.Failed.class);
    assertThat(((IkeProbeResult.Failed) result).reason()).contains("unreachable");
  }

  /** The probe on a thread inside the satellite's namespace, where its socket then lives. */
  private IkeProbeResult probeFromSatellite(InetSocketAddress peer, Optional<InetAddress> local) throws Exception {
    return new NativeThreadContext(lab.satNamespace(), false).call(() -> probe.probe(local, peer, TIMEOUT));
  }

  private void assertOnlyTheRealIkeSaOnTheHub() {
    String sas = lab.swanctl("hub", "--list-sas", "--raw");
    long ikeSas = Arrays.stream(sas.split("\n")).filter(l -> l.startsWith("list-sa event")).count();
    assertThat(ikeSas).as("IKE SAs on the hub:\n" + sas).isEqualTo(1);
    assertThat(sas).contains("state=ESTABLISHED").doesNotContain("state=CONNECTING");
  }

  private Path hubLog() {
    return lab.dir().resolve("hub/charon.log");
  }

  private long hubLogSize() throws IOException {
    return Files.size(hubLog());
  }

  /** What the hub's charon logged since then; the log is flushed line by line. */
  private String hubLogSince(long offset) throws IOException, InterruptedException {
    Thread.sleep(200);
    byte[] all = Files.readAllBytes(hubLog());
    return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
  }

  private static void report(String what, IkeProbeResult result, String logged) {
    System.out.println("---- IKE probe, " + what + ": " + result + (logged.isEmpty() ? "" : "\n" + logged.strip()));
  }
}
