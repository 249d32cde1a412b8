package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEventListener;
import org.tunnelwatch.ipsec.swanctl.SwanctlBackend;
import org.tunnelwatch.ipsec.Backoff;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.ipsec.vici.ViciBackend;
import org.tunnelwatch.ipsec.vici.ViciClient;
import org.tunnelwatch.ipsec.vici.ViciCommandException;
import org.tunnelwatch.ipsec.vici.ViciEventStream;
import org.tunnelwatch.ipsec.vici.ViciMessage;
import org.tunnelwatch.ipsec.vici.ViciSaEvents;

/**
 * The VICI client, backend and event stream against real charon in the lab. The socket is a file
 * in the lab directory, so the test JVM connects to it from the root namespace.
 */
class ViciIT {

  private static final Duration BOUND = Duration.ofSeconds(30);

  private Lab lab;
  private Path socket;
  private ViciClient client;
  private BackendConfig config;
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private ViciEventStream stream;

  @BeforeEach
  void setUp() {
    LabPrerequisites.require();
    lab = Lab.up();
    String uri = lab.env.get("TW_SAT_VICI");
    socket = ViciBackend.socketPath(uri);
    client = new ViciClient(socket, Duration.ofSeconds(10));
    config = new BackendConfig(BackendType.VICI, Path.of("/usr/sbin/swanctl"), uri, "true", Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    try {
      if (stream != null) {
        stream.close();
      }
      if (client != null) {
        client.close();
      }
    } finally {
      if (lab != null) {
        lab.close();
      }
    }
  }

  private String ike() {
    return lab.env.get("TW_IKE");
  }

  private String child() {
    return lab.env.get("TW_CHILD");
  }

  private void listen(List<String> events) {
    stream =
        new ViciEventStream(
            socket,
            events,
            new ViciEventStream.Listener() {
              @Override
              public void subscribed(boolean again) {
                heard.add(again ? "subscribed again" : "subscribed");
              }

              @Override
              public void event(String name, ViciMessage message) {
                heard.add(name + (message.yes("up") ? " up" : ""));
              }
            },
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
            Duration.ofSeconds(5));
    stream.start();
    await("subscribed").atMost(BOUND).until(() -> heard.contains("subscribed"));
  }

  @Test
  void versionNamesCharon() throws Exception {
    ViciMessage version = client.version();
    assertThat(version.text("daemon")).contains("charon");
    assertThat(version.text("version").orElse("")).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void listSasGivesWhatSwanctlGivesPlusTheAges() throws Exception {
    List<IkeSa> vici = new ViciBackend(config, new ProcessCommandRunner()).listSas();
    List<IkeSa> swanctl = new SwanctlBackend(config, new ProcessCommandRunner()).listSas();

    assertThat(vici).hasSize(1);
    IkeSa ike = vici.get(0);
    assertThat(ike.name()).isEqualTo(ike());
    assertThat(ike.established()).isTrue();
    assertThat(ike.establishedSeconds()).isPresent();
    assertThat(ike.child(child())).get().matches(c -> c.installed(), "installed");
    assertThat(vici).extracting(IkeSa::name, IkeSa::uniqueId, IkeSa::state)
        .isEqualTo(swanctl.stream().map(s -> org.assertj.core.groups.Tuple.tuple(s.name(), s.uniqueId(), s.state())).toList());
  }

  @Test
  void listConnsNamesTheConnectionAndItsChild() throws Exception {
    List<ViciMessage> conns = client.listConns();
    assertThat(conns).hasSize(1);
    assertThat(conns.get(0).section(ike()).section("children").sections()).containsKey(child());
  }

  @Test
  void anUnknownCommandIsRefusedAndTheClientCarriesOn() throws Exception {
    assertThatThrownBy(() -> client.request("no-such-command", ViciMessage.empty(), Duration.ofSeconds(5)))
        .isInstanceOf(ViciCommandException.class)
        .hasMessage("charon does not know the command \"no-such-command\"");
    assertThat(client.version().text("daemon")).contains("charon");
  }

  @Test
  void afterAHubCrashInitiateIsRefusedAndRestartIkeRepairs() throws Exception {
    ViciBackend backend = new ViciBackend(config, new ProcessCommandRunner());
    lab.gateway("kill", "hub");
    lab.gateway("start", "hub");

    assertThatThrownBy(() -> backend.initiateChild(ike(), child()))
        .hasMessageStartingWith("vici initiate refused: CHILD SA net is installed already");
    backend.restartIke(ike(), child());
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
  }

  @Test
  void afterAHubCrashTheReauthenticationRepairsWithoutTearingDownFirst() throws Exception {
    ViciBackend backend = new ViciBackend(config, new ProcessCommandRunner());
    lab.gateway("kill", "hub");
    lab.gateway("start", "hub");

    // One CHILD SA and nothing coming in: no sign that the IKE SA lives, so no CHILD rekey.
    assertThatThrownBy(() -> backend.initiateChild(ike(), child()))
        .hasMessageEndingWith("no CHILD SA of its IKE SA receives anything, so the IKE SA is left to the next rung");
    backend.reauthIke(ike(), child());
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
  }

  @Test
  void duringACutTheReauthenticationKeepsTheOldSasSoTheyCarryTrafficWhenItEnds() throws Exception {
    ViciBackend backend = new ViciBackend(config, new ProcessCommandRunner());
    lab.fault("cut");
    backend.reauthIke(ike(), child());

    await("the new IKE SA waits for the peer").atMost(BOUND)
        .until(() -> SaStatus.of(backend.listSas(), ike(), child()).ikeConnecting());
    SaStatus during = SaStatus.of(backend.listSas(), ike(), child());
    assertThat(during.childInstalled()).as("make_before_break keeps the old CHILD SA: " + during.describe()).isTrue();

    lab.heal();
    await("traffic over the old SAs").atMost(Duration.ofSeconds(5)).until(lab::trafficFlows);
  }

  @Test
  void rekeysOfTheIkeAndChildSaAreReportedAsEvents() throws Exception {
    listen(ViciSaEvents.EVENTS);
    client.rekeyIke(ike());
    // While the IKE rekey moves the CHILD SAs to the new IKE SA, charon finds none to rekey.
    await("ike-rekey event").atMost(BOUND).until(() -> heard.contains("ike-rekey"));
    client.rekeyChild(child());
    await("child-rekey event").atMost(BOUND).until(() -> heard.contains("child-rekey"));
    assertThat(lab.trafficFlows()).isTrue();
  }

  @Test
  void rekeyingAConnectionThatHasNoSaIsRefused() {
    assertThatThrownBy(() -> client.rekeyIke("no-such-connection"))
        .isInstanceOf(ViciCommandException.class)
        .hasMessage("rekey failed: no matching SAs to rekey found");
  }

  @Test
  void aCleanHubStopIsReportedAsTheChildSaGoingDown() {
    List<String> down = new CopyOnWriteArrayList<>();
    ViciSaEvents events =
        new ViciSaEvents(
            new SaEventListener() {
              @Override
              public void saDown(String ike, Optional<String> child, String event) {
                down.add(event + " " + ike + "/" + child.orElse("*"));
              }

              @Override
              public void resync() {}
            });
    stream =
        new ViciEventStream(
            socket,
            ViciSaEvents.EVENTS,
            new ViciEventStream.Listener() {
              @Override
              public void subscribed(boolean again) {
                heard.add("subscribed");
              }

              @Override
              public void event(String name, ViciMessage message) {
                events.event(name, message);
              }
            },
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
            Duration.ofSeconds(5));
    stream.start();
    await("subscribed").atMost(BOUND).until(() -> heard.contains("subscribed"));

    lab.gateway("stop", "hub");

    await("down events").atMost(BOUND)
        .until(() -> down.containsAll(List.of("ike-updown " + ike() + "/*", "child-updown " + ike() + "/" + child())));
  }

  @Test
  void theEventStreamReconnectsAfterCharonRestartsAndAsksForAResync() throws Exception {
    listen(List.of("child-updown"));

    lab.gateway("restart", "sat");

    await("subscribed again").atMost(BOUND).until(() -> heard.contains("subscribed again"));
    // The new charon may bring the tunnel up before the stream is back (that is what the resync
    // is for); once it is up, events of the new charon must come through the new subscription.
    ViciBackend backend = new ViciBackend(config, new ProcessCommandRunner());
    await("tunnel back").atMost(BOUND).until(() -> lab.trafficFlows());
    heard.clear();
    backend.restartIke(ike(), child());
    await("the new charon's CHILD SA down and up events").atMost(BOUND)
        .until(() -> heard.containsAll(List.of("child-updown", "child-updown up")));
  }
}
