package org.tunnelwatch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.config.UplinkConfig;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.TargetsRule;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.QuietBackend;
import org.tunnelwatch.probe.EchoProber;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.LinkStateReader;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.BackendActionRunner;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.time.ManualTime;

/**
 * The supervisor's wiring of probes, health and remedy, with the edges replaced: a scripted
 * prober, a recording backend and a fixture sysfs. The real edges have their own tests. Every
 * executor runs its step on the calling thread and the prober answers at once, so a round is
 * over when {@code startRound} returns; {@link RoundSequencingTest} covers the hand-offs.
 */
class TunnelSupervisorTest {

  @TempDir Path sys;

  private final ManualTime time = new ManualTime();
  private final ScriptedProber prober = new ScriptedProber();
  private final RecordingBackend backend = new RecordingBackend();
  private final List<String> events = new ArrayList<>();
  private TunnelSupervisor supervisor;
  private TunnelConfig tunnel;
  private TunnelSupervisor.Collaborators collaborators;

  @BeforeEach
  void setUp() throws IOException {
    uplink("up");
    TunnelSettings settings =
        TunnelSettings.builder()
            .interval(Duration.ofSeconds(1))
            .timeout(Duration.ofMillis(500))
            .window(Duration.ofSeconds(30))
            .ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE)
            .settle(Duration.ofSeconds(5))
            .build();
    TunnelConfig tunnel =
        new TunnelConfig(
            "sg1-sgcentral", "sg1-sgcentral", "net", InetAddress.getByName("198.51.100.1"),
            List.of(ProbeTarget.icmp(InetAddress.getByName("203.0.113.1"))), Optional.of("wan"), settings);
    TunnelEvents recorder =
        new TunnelEvents() {
          @Override
          public void stateChanged(String t, HealthState from, HealthState to) {
            events.add(t + " " + from.state().label() + "->" + to.state().label());
          }

          @Override
          public void remedied(String t, RemedyOutcome outcome, String reason) {
            events.add(t + " " + outcome.action() + " " + outcome.result().label());
          }

          @Override
          public void uplinkChanged(String uplink, LinkState state) {
            events.add(uplink + (state.isUp() ? " up" : " down"));
          }
        };
    collaborators =
            new TunnelSupervisor.Collaborators(
                new RoundProber(new InlineEchoProber(prober)),
                new UplinkMonitor(Map.of("wan", new UplinkConfig("wan", "wan0")), new LinkStateReader(sys), recorder),
                new SaReader(backend, time, Duration.ofMillis(500)),
                new BackendActionRunner(backend),
                new ServiceRestarts(),
                recorder,
                time,
                Runnable::run,
                Runnable::run);
    this.tunnel = tunnel;
    supervisor = new TunnelSupervisor(tunnel, collaborators, RoundListener.NONE);
  }

  private void uplink(String operstate) throws IOException {
    Path dir = Files.createDirectories(sys.resolve("wan0"));
    Files.writeString(dir.resolve("operstate"), operstate);
    Files.writeString(dir.resolve("flags"), operstate.equals("up") ? "0x1003" : "0x1002");
  }

  private void rounds(int count, int replies) {
    prober.replies = replies;
    for (int i = 0; i < count; i++) {
      time.advance(Duration.ofSeconds(1));
      supervisor.startRound(false);
    }
  }

  private static List<IkeSa> installedChild(long packetsIn) {
    return List.of(
        new IkeSa(
            "sg1-sgcentral", 1, "ESTABLISHED",
            List.of(new ChildSa("net", 1, "INSTALLED", packetsIn * 84, packetsIn * 84, packetsIn, packetsIn, OptionalLong.of(1))),
            OptionalLong.of(60)));
  }

  @Nested
  class TrafficCountsAsEcho {

    private long packetsIn = 10;

    @BeforeEach
    void trafficCounts() {
      tunnel = withTraffic(true);
      supervisor = new TunnelSupervisor(tunnel, collaborators, RoundListener.NONE);
      backend.sas = installedChild(packetsIn);
      rounds(2, 3); // up by echoes
      assertThat(supervisor.status().state()).isEqualTo("up");
    }

    private TunnelConfig withTraffic(boolean counts) {
      return new TunnelConfig(
          tunnel.name(), tunnel.ike(), tunnel.child(), tunnel.source(), tunnel.targets(), tunnel.uplink(),
          // Loss never degrades these tunnels: the tests are about up and down, and a window of
          // mostly traffic rounds has few echoes, so one lost round weighs heavily in its loss.
          tunnel.settings().toBuilder().trafficCountsAsEcho(counts).degradedLoss(1.0).build());
    }

    /** A round with {@code packets} more having come in through the CHILD SA since the last. */
    private void roundWithTraffic(long packets, int replies) {
      packetsIn += packets;
      backend.sas = installedChild(packetsIn);
      rounds(1, replies);
    }

    @Test
    void whileTheInboundCounterRisesNoEchoIsSentAndTheTunnelStaysUp() {
      int before = prober.probes;
      for (int i = 0; i < 5; i++) {
        roundWithTraffic(100, 0);
      }
      assertThat(prober.probes).isEqualTo(before);
      assertThat(supervisor.status().state()).isEqualTo("up");
    }

    @Test
    void theRepliesToItsOwnEchoesAreNoProofOfTraffic() {
      int before = prober.probes;
      roundWithTraffic(3, 3); // only the three replies of the last echo round came in
      roundWithTraffic(3, 3);
      assertThat(prober.probes).isEqualTo(before + 2);
    }

    @Test
    void repliesOfSeveralRoundsJudgedByOneSharedReadingAreNoProofEither() {
      // The two rounds that brought the tunnel up had every echo answered: both took the same
      // cached reading (routine reads may be 10 s old), whose counter predates all six replies.
      int before = prober.probes;
      roundWithTraffic(6, 3);
      assertThat(prober.probes).isEqualTo(before + 1);
    }

    @Test
    void echoesResumeTheFirstRoundTheCounterStandsStill() {
      roundWithTraffic(100, 3);
      int before = prober.probes;
      roundWithTraffic(0, 3);
      assertThat(prober.probes).isEqualTo(before + 1);
      roundWithTraffic(100, 3);
      assertThat(prober.probes).isEqualTo(before + 1);
    }

    @Test
    void aDeadDataPlaneIsFoundInAsManyRoundsAsWithEchoesOnly() {
      roundWithTraffic(100, 3);
      int withTraffic = roundsUntilDown(() -> roundWithTraffic(0, 0)); // the counter stands still, echoes are lost

      supervisor = new TunnelSupervisor(withTraffic(false), collaborators, RoundListener.NONE);
      rounds(2, 3);
      int echoesOnly = roundsUntilDown(() -> rounds(1, 0));

      assertThat(withTraffic).isEqualTo(echoesOnly).isEqualTo(tunnel.settings().downAfter());
    }

    private int roundsUntilDown(Runnable round) {
      for (int n = 1; n <= 10; n++) {
        round.run();
        if (supervisor.status().state().equals("down")) {
          return n;
        }
      }
      return -1;
    }

    @Test
    void afterALostRoundTrafficProvesNothingUntilAnEchoIsAnsweredAgain() {
      roundWithTraffic(0, 0); // the counter stood still and the echoes were lost
      int before = prober.probes;
      roundWithTraffic(100, 3); // traffic, but the streak has a failure: echoes decide
      assertThat(prober.probes).isEqualTo(before + 1);
      roundWithTraffic(100, 0); // an echo was answered since: traffic counts again
      assertThat(prober.probes).isEqualTo(before + 1);
      assertThat(supervisor.status().state()).isEqualTo("up");
    }

    @Test
    void aReplacedChildSaIsNoComparisonSoItsFirstRoundSendsEchoes() {
      roundWithTraffic(100, 3);
      int before = prober.probes;
      backend.sas =
          List.of(
              new IkeSa(
                  "sg1-sgcentral", 1, "ESTABLISHED",
                  List.of(new ChildSa("net", 2, "INSTALLED", 0, 0, packetsIn + 100, 0, OptionalLong.of(0))),
                  OptionalLong.of(60)));
      rounds(1, 3);
      assertThat(prober.probes).isEqualTo(before + 1);
    }
  }

  @Nested
  class PeerSilentForIke {

    private final List<String> held = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<Optional<String>> peer =
        new java.util.concurrent.atomic.AtomicReference<>(Optional.of("silent"));

    /** The supervisor again, with a peer check the test answers and a hold recorder. */
    @BeforeEach
    void withPeerCheck() {
      TunnelEvents recorder = collaborators.events();
      TunnelEvents withHolds =
          new EventFanout(List.of(recorder, new TunnelEvents() {
            @Override
            public void actionHeld(String t, RemedyAction action, String why) {
              held.add(t + " " + action + ": " + why);
            }
          }));
      TunnelSupervisor.Collaborators c = collaborators;
      collaborators =
          new TunnelSupervisor.Collaborators(
              c.prober(), c.uplinks(), c.sas(), c.actions(), c.serviceRestarts(), withHolds, c.time(), c.judging(),
              c.repairs(), RepairCoordinator.standalone(), sa -> peer.get());
      supervisor = new TunnelSupervisor(tunnel, collaborators, RoundListener.NONE);
      backend.sas = installedChild(10);
      backend.initiateFails = true;
    }

    @Test
    void anIkeRestartIsHeldUncountedAndSaidOnceWhileThePeerDoesNotAnswerIke() {
      rounds(3, 0); // down: reinitiate refused
      rounds(5, 0); // restart-ike due at each failed round, held each time
      assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
      assertThat(held).containsExactly("sg1-sgcentral restart-ike: silent");
      assertThat(events).doesNotContain("sg1-sgcentral restart-ike skipped", "sg1-sgcentral restart-ike success");
      assertThat(supervisor.status().remedy()).isEqualTo("restart-ike held: silent");

      peer.set(Optional.empty()); // the peer answers IKE now, the tunnel still does not
      rounds(1, 0);
      assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net", "restart-ike sg1-sgcentral/net");
    }

    @Test
    void whenThePeerAnswersAgainAfterAHoldAndSoDoesTheTunnelNothingIsTornDown() {
      rounds(3, 0);
      rounds(1, 0); // held
      peer.set(Optional.empty());
      prober.script.addAll(List.of(0, 3)); // the round fails, the check before the teardown gets replies
      rounds(1, 0);
      assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
      assertThat(events).contains("sg1-sgcentral restart-ike skipped");
    }
  }

  /**
   * Two targets behind the hub, the second of which stops answering (an application server down
   * while the hub still answers).
   */
  @Nested
  class TargetsRules {

    private final InetAddress hub = ip("203.0.113.1");
    private final InetAddress server = ip("203.0.113.2");

    private void watchHubAndServer(TargetsRule rule) {
      TunnelConfig both =
          new TunnelConfig(
              tunnel.name(), tunnel.ike(), tunnel.child(), tunnel.source(), List.of(ProbeTarget.icmp(hub), ProbeTarget.icmp(server)), tunnel.uplink(),
              tunnel.settings().toBuilder().targetsRule(rule).build());
      supervisor = new TunnelSupervisor(both, collaborators, RoundListener.NONE);
    }

    @Test
    void underAnyTheTunnelStillCarriesTrafficWithItsLossShown() {
      watchHubAndServer(TargetsRule.ANY);
      rounds(2, 3);
      prober.silent.add(server);
      rounds(10, 3);

      assertThat(supervisor.status().state()).isEqualTo("degraded");
      assertThat(supervisor.status().reason()).startsWith("loss ").contains("exceeds");
      assertThat(supervisor.status().lossRatio()).isGreaterThan(0.4);
      assertThat(backend.actions).isEmpty();
    }

    @Test
    void underAllTheTunnelIsDownButNotRepairedSinceTheHubProvesThePathWorks() {
      watchHubAndServer(TargetsRule.ALL);
      rounds(2, 3);
      prober.silent.add(server);
      rounds(60, 3); // a minute: twelve settle times, ten hourly actions' worth

      assertThat(supervisor.status().state()).isEqualTo("down");
      assertThat(supervisor.status().reason()).startsWith("too few targets answered in 3 consecutive rounds");
      assertThat(supervisor.status().remedy()).isEqualTo("replies are coming back, not acting");
      assertThat(backend.actions).isEmpty();
    }

    @Test
    void underAllATunnelThatFallsSilentToAfterwardsIsRepairedAsAlways() {
      watchHubAndServer(TargetsRule.ALL);
      rounds(2, 3);
      prober.silent.add(server);
      rounds(5, 3);
      prober.silent.add(hub);
      rounds(1, 3);

      assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
    }

    @Test
    void underAllTheTunnelComesBackUpWhenTheServerAnswersAgain() {
      watchHubAndServer(TargetsRule.ALL);
      rounds(2, 3);
      prober.silent.add(server);
      rounds(5, 3);
      prober.silent.clear();
      rounds(2, 3);

      assertThat(supervisor.status().state()).isEqualTo("up");
    }

    @Test
    void atLeastOneOfTwoIsTheAnyRule() {
      watchHubAndServer(TargetsRule.atLeast(1));
      rounds(2, 3);
      prober.silent.add(server);
      rounds(5, 3);

      assertThat(supervisor.status().state()).isEqualTo("degraded");
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Nested
  class DaemonNotAnswering {

    @Test
    void theDaemonRungsAreReportedSkippedAndOnlyTheServiceIsRestarted() {
      backend.listFails = true;
      rounds(3, 0);
      assertThat(supervisor.status().state()).isEqualTo("down");
      assertThat(backend.actions).containsExactly("restart-service");
      assertThat(events).containsSubsequence(
          "sg1-sgcentral reinitiate skipped", "sg1-sgcentral restart-ike skipped", "sg1-sgcentral restart-service success");
      assertThat(supervisor.status().sa()).startsWith("unreadable: connecting to charon failed");
    }

    @Test
    void aServiceRestartIsCalledOffWhenTheTunnelAnswersAgainJustBeforeIt() {
      backend.listFails = true;
      // Three failed rounds, then the fault heals: the check right before the restart gets replies.
      prober.script.addAll(List.of(0, 0, 0, 3));
      rounds(3, 0);
      assertThat(backend.actions).doesNotContain("restart-service");
      assertThat(events).contains("sg1-sgcentral restart-service skipped");
      assertThat(supervisor.status().lastAction().detail()).contains("answered again just before the service restart");
    }

    @Test
    void onceTheDaemonAnswersTheLadderUsesItAgain() {
      backend.listFails = true;
      rounds(3, 0);
      backend.listFails = false;
      rounds(6, 0); // past the settle time of the service restart
      assertThat(backend.actions).containsExactly("restart-service", "initiate sg1-sgcentral/net");
    }
  }

  @Nested
  class SaGoneEvents {

    /** Up with net installed, then net deleted, reported by an event and checked in a round. */
    private void upThenChildSaReportedGone() {
      backend.sas = installedChild(10);
      rounds(2, 3);
      backend.sas = List.of();
      supervisor.reportSaGone("child-updown reported CHILD SA net down");
      rounds(1, 3);
    }

    @Test
    void aReportedDeletionWithNoChildSaLeftMakesTheTunnelDownAndRepairsItInTheSameRound() {
      backend.sas = installedChild(10);
      rounds(2, 3);
      assertThat(supervisor.status().state()).isEqualTo("up");
      int probesBefore = prober.calls;

      backend.sas = List.of();
      supervisor.reportSaGone("child-updown reported CHILD SA net down");
      time.advance(Duration.ofMillis(100));
      supervisor.startRound(false);

      assertThat(supervisor.status().state()).isEqualTo("down");
      assertThat(supervisor.status().reason())
          .isEqualTo("child-updown reported CHILD SA net down and the daemon lists no installed CHILD SA net");
      assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
      assertThat(prober.calls).as("no echoes are sent in the checking round").isEqualTo(probesBefore);
    }

    @Test
    void aReportedDeletionOfAChildSaThatIsBackAlreadyIsAnOrdinaryRound() {
      backend.sas = installedChild(10);
      rounds(2, 3);

      supervisor.reportSaGone("child-updown reported CHILD SA net down");
      rounds(1, 3);

      assertThat(supervisor.status().state()).isEqualTo("up");
      assertThat(backend.actions).isEmpty();
    }

    @Test
    void echoesAnsweredWhileTheChildSaIsGoneDoNotBringTheTunnelBack() {
      upThenChildSaReportedGone();
      assertThat(supervisor.status().state()).isEqualTo("down");

      // A sibling's wider CHILD SA (or no policy at all) carries the probe's echoes meanwhile.
      rounds(4, 3);

      assertThat(supervisor.status().state()).as("answers, but not through net").isEqualTo("down");
      backend.sas = installedChild(20);
      rounds(2, 3);
      assertThat(supervisor.status().state()).as("net installed again and answering").isEqualTo("up");
    }

    @Test
    void anUpTunnelWhoseChildSaVanishesIsDownEvenIfItsEchoesStillPass() {
      backend.sas = installedChild(10);
      rounds(2, 3);
      backend.sas = List.of();
      time.advance(Duration.ofSeconds(30)); // past the routine reading's age: no event came

      rounds(1, 3);

      assertThat(supervisor.status().state()).isEqualTo("down");
      assertThat(supervisor.status().reason())
          .isEqualTo("echoes answered, but the daemon lists no installed CHILD SA net: they crossed another SA or left unprotected");
    }

    @Test
    void echoesAnsweredWhileTheIkeSaIsBeingSetUpAgainDoNotCountEither() {
      // The agent never saw the CHILD SA (it started while charon was still bringing it up), but
      // the daemon lists the tunnel's IKE SA: it knows the tunnel, and the CHILD SA is not there.
      backend.sas = List.of(new IkeSa("sg1-sgcentral", 2, "CONNECTING", List.of(), OptionalLong.empty()));
      rounds(3, 3);

      assertThat(supervisor.status().state()).isNotEqualTo("up");
    }

    @Test
    void echoesAnsweredWhileTheDaemonCannotBeReadAfterItReportedTheChildSaGoneDoNotCount() {
      upThenChildSaReportedGone();
      // A repair's initiate holds the one vici connection: the reads fail meanwhile.
      backend.listFails = true;

      rounds(4, 3);

      assertThat(supervisor.status().state()).as("the daemon's last word: net not installed").isEqualTo("down");
    }

    @Test
    void aDaemonThatNeverListedTheChildSaLeavesTheEchoesToDecide() {
      backend.sas = List.of();
      rounds(2, 3);
      assertThat(supervisor.status().state()).isEqualTo("up");
    }

    @Test
    void theReportCountsOnceOnly() {
      upThenChildSaReportedGone();
      int probes = prober.calls;

      rounds(1, 3);

      assertThat(prober.calls).as("the next round probes again").isGreaterThan(probes);
    }
  }

  @Test
  void aDeadDataPlaneIsReportedAndTheFirstRungIsStillTried() {
    backend.sas = installedChild(10);
    rounds(2, 3);
    // Installed, but the counter stands still and nothing answers. A hub crash and a CHILD SA
    // whose ESP alone is lost look the same here; the first rung renews the CHILD SA (a refused
    // initiate asks for a rekey), which repairs the second and costs one round in the first.
    rounds(3, 0);

    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
    assertThat(supervisor.status().sa()).isEqualTo("IKE ESTABLISHED, CHILD INSTALLED, nothing coming in");
  }

  @Test
  void aDeadChildSaWithASiblingStillReceivingIsRenewedAloneNotByAnIkeRestart() {
    // net is dead; net11 under the same IKE SA received a packet a second ago: the IKE SA lives.
    List<IkeSa> sas =
        List.of(
            new IkeSa(
                "sg1-sgcentral", 1, "ESTABLISHED",
                List.of(
                    new ChildSa("net", 1, "INSTALLED", 840, 840, 10, 10, OptionalLong.of(9)),
                    new ChildSa("net11", 2, "INSTALLED", 840, 840, 10, 10, OptionalLong.of(1))),
                OptionalLong.of(60)));
    backend.sas = sas;
    rounds(2, 3);
    rounds(3, 0);

    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  @Test
  void aChildSaThatStillReceivesIsNotADeadDataPlane() {
    long[] packets = {10};
    backend.sas = installedChild(packets[0]);
    rounds(2, 3);
    prober.replies = 0;
    for (int i = 0; i < 3; i++) {
      backend.sas = installedChild(packets[0] += 5);
      time.advance(Duration.ofSeconds(1));
      supervisor.startRound(false);
    }

    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  @Test
  void aCutTunnelIsReinitiatedOnceAndReportedUpWhenRepliesReturn() {
    rounds(2, 3);
    rounds(3, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
    assertThat(supervisor.status().state()).isEqualTo("down");
    assertThat(supervisor.status().lastAction().action()).isEqualTo("reinitiate");
    rounds(2, 3);
    assertThat(supervisor.status().state()).isEqualTo("up");
    assertThat(events)
        .containsExactly(
            "wan up", "sg1-sgcentral unknown->up", "sg1-sgcentral up->degraded", "sg1-sgcentral degraded->down",
            "sg1-sgcentral reinitiate success", "sg1-sgcentral down->up");
  }

  @Test
  void aFailedRoundIsConfirmedAtOnceSoADeadTunnelIsDownWithinOneScheduledRound() {
    rounds(2, 3);
    prober.replies = 0;
    time.advance(Duration.ofSeconds(1));
    supervisor.startRound();
    assertThat(prober.probes).isEqualTo(2 + 3);
    assertThat(supervisor.status().state()).isEqualTo("down");
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  @Test
  void aTunnelThatAnswersCostsOneRoundPerScheduledRound() {
    rounds(2, 3);
    time.advance(Duration.ofSeconds(1));
    supervisor.startRound();
    assertThat(prober.probes).isEqualTo(3);
  }

  @Test
  void aConfirmingRoundWithRepliesEndsTheConfirmationAndNothingIsCalledDown() {
    rounds(2, 3);
    prober.script.addAll(List.of(0, 3));
    time.advance(Duration.ofSeconds(1));
    supervisor.startRound();
    assertThat(prober.probes).isEqualTo(2 + 2);
    assertThat(supervisor.status().state()).isNotEqualTo("down");
  }

  @Test
  void aDownTunnelIsNotConfirmedAgainButProbedOncePerScheduledRound() {
    rounds(2, 3);
    rounds(3, 0);
    int before = prober.probes;
    time.advance(Duration.ofSeconds(1));
    supervisor.startRound();
    assertThat(prober.probes).isEqualTo(before + 1);
  }

  @Test
  void escalatesToTheIkeRestartAfterTheSettleTime() {
    rounds(2, 3);
    rounds(3 + 5, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net", "restart-ike sg1-sgcentral/net");
  }

  @Test
  void aRefusedReinitiateIsFollowedByTheIkeRestartAtTheNextFailedRound() {
    backend.initiateFails = true;
    rounds(2, 3);
    rounds(3 + 1, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net", "restart-ike sg1-sgcentral/net");
    assertThat(events).contains("sg1-sgcentral reinitiate failure", "sg1-sgcentral restart-ike success");
  }

  @Test
  void withTheUplinkDownNothingIsDoneAndTheStatusSaysWhy() throws IOException {
    rounds(2, 3);
    uplink("down");
    rounds(30, 0);
    assertThat(backend.actions).isEmpty();
    assertThat(supervisor.status().state()).isEqualTo("down");
    assertThat(supervisor.status().uplinkUp()).isFalse();
    assertThat(supervisor.status().remedy()).isEqualTo("uplink is down, waiting for it");
    uplink("up");
    rounds(1, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  @Test
  void echoesLostWhileTheUplinkCameBackCountAsAnUplinkDownRoundNotAsABrokenTunnel() throws IOException {
    rounds(2, 3);
    uplink("down");
    rounds(5, 0);
    prober.duringProbe =
        () -> {
          try {
            uplink("up");
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    rounds(1, 0);
    assertThat(backend.actions).isEmpty();
    assertThat(supervisor.status().remedy()).isEqualTo("uplink is down, waiting for it");
    prober.duringProbe = () -> {};
    rounds(1, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  @Test
  void aBackendThatCannotBeReadIsReportedAndTheRoundGoesOn() {
    backend.listFails = true;
    rounds(2, 3);
    assertThat(supervisor.status().state()).isEqualTo("up");
    assertThat(supervisor.status().sa()).isEqualTo("unreadable: connecting to charon failed");
  }

  @Test
  void aProberThatThrowsCountsAsAProbeErrorNotACrash() {
    prober.explode = true;
    rounds(3, 3);
    assertThat(supervisor.status().state()).isEqualTo("unknown");
    assertThat(supervisor.status().probeError()).contains("prober failed");
  }

  /** The tunnel's source, 198.51.100.1, is on no interface of the test host: a probe fault. */
  @Test
  void roundsWhoseEchoesCouldNotBeSentNeverCallTheTunnelDownNorAct() {
    rounds(3, 3);
    assertThat(supervisor.status().state()).isEqualTo("up");
    prober.explode = true;
    rounds(20, 0);
    assertThat(supervisor.status().state()).isEqualTo("unknown");
    assertThat(supervisor.status().reason()).startsWith("probe error, no echo could be sent: ");
    assertThat(supervisor.status().remedy()).contains("not acting");
    // The unsent echoes count as lost: 20 rounds of them after 3 answered ones, all in the window.
    assertThat(supervisor.status().lossRatio()).isEqualTo(20.0 / 23);
    assertThat(backend.actions).isEmpty();
    assertThat(events).endsWith("sg1-sgcentral unknown->up", "sg1-sgcentral up->unknown");

    prober.explode = false; // the source address is back, and the tunnel is in fact dead
    rounds(3, 0);
    assertThat(supervisor.status().state()).isEqualTo("down");
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  @Test
  void steppingTheWallClockChangesNoDecision() {
    rounds(2, 3);
    rounds(3, 0);
    time.stepWallClock(Duration.ofHours(-2));
    rounds(4, 0);
    time.stepWallClock(Duration.ofHours(5));
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
    rounds(1, 0);
    assertThat(backend.actions).hasSize(2);
  }

  @Test
  void aSuccessorAfterAReloadKeepsTheHealthAndClimbsOnFromTheSameRung() {
    rounds(2, 3);
    rounds(3, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");

    TunnelSupervisor successor = new TunnelSupervisor(tunnel, collaborators, RoundListener.NONE);
    successor.continueFrom(supervisor);
    supervisor = successor;

    assertThat(supervisor.status().state()).isEqualTo("down");
    assertThat(supervisor.status().lastAction().action()).isEqualTo("reinitiate");
    rounds(1, 0);
    assertThat(backend.actions).as("still settling after the reinitiate").hasSize(1);
    rounds(4, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net", "restart-ike sg1-sgcentral/net");
  }

  @Test
  void aSupervisorWithoutPredecessorStartsFromNothing() {
    rounds(2, 3);
    rounds(3, 0);
    supervisor = new TunnelSupervisor(tunnel, collaborators, RoundListener.NONE);

    assertThat(supervisor.status().state()).isEqualTo("unknown");
    rounds(3, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net", "initiate sg1-sgcentral/net");
  }

  /** The same tunnel with a dry-run action runner: it plans as live but carries nothing out. */
  private TunnelSupervisor dryRun() {
    return new TunnelSupervisor(
        supervisor.config(),
        new TunnelSupervisor.Collaborators(
            new RoundProber(new InlineEchoProber(prober)),
            new UplinkMonitor(Map.of("wan", new UplinkConfig("wan", "wan0")), new LinkStateReader(sys), new TunnelEvents() {}),
            new SaReader(backend, time, Duration.ofMillis(500)),
            new org.tunnelwatch.remedy.DryRunActionRunner(),
            new ServiceRestarts(),
            new TunnelEvents() {},
            time,
            Runnable::run,
            Runnable::run),
        RoundListener.NONE);
  }

  @Test
  void inDryRunNothingIsDoneButTheActionIsReportedAsSkipped() {
    TunnelSupervisor dry = dryRun();
    prober.replies = 0;
    for (int i = 0; i < 5; i++) {
      time.advance(Duration.ofSeconds(1));
      dry.startRound(false);
    }
    assertThat(backend.actions).isEmpty();
    assertThat(dry.status().lastAction().action()).isEqualTo("reinitiate");
    assertThat(dry.status().lastAction().result()).isEqualTo("skipped");
    assertThat(dry.status().lastAction().detail()).isEqualTo("dry-run: not carried out");
  }

  @Test
  void aLiveSuccessorOfADryRunActsAtOnceTheDryRunsSkipsSpentNoneOfItsHourlyLimit() {
    TunnelSupervisor dry = dryRun();
    prober.replies = 0;
    for (int i = 0; i < 120; i++) { // the dry run climbs its ladder to its hourly limit of 6
      time.advance(Duration.ofSeconds(1));
      dry.startRound(false);
    }
    assertThat(dry.status().lastAction().detail()).isEqualTo("limit of 6 actions per hour reached");

    supervisor.continueFrom(dry, false);
    assertThat(supervisor.status().state()).as("the health is carried over").isEqualTo("down");
    rounds(1, 0);
    assertThat(backend.actions).containsExactly("initiate sg1-sgcentral/net");
  }

  /** Answers every echo request with a fixed number of replies. */
  private static final class ScriptedProber implements EchoProber {
    volatile int replies;
    volatile boolean explode;
    /** Replies for the next rounds, before falling back to {@link #replies}. */
    final java.util.Deque<Integer> script = new java.util.concurrent.ConcurrentLinkedDeque<>();
    volatile int probes;
    /** Runs while the echoes are out, to change the world under a round. */
    volatile Runnable duringProbe = () -> {};
    volatile int calls;
    /** Targets that never answer, whatever the script says. */
    final java.util.Set<InetAddress> silent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public EchoResult probe(EchoRequest request) {
      calls++;
      if (explode) {
        throw new IllegalStateException("boom");
      }
      probes++;
      duringProbe.run();
      Integer scripted = script.poll();
      int answered = silent.contains(request.target()) ? 0 : scripted != null ? scripted : replies;
      List<Duration> rtts = new ArrayList<>();
      for (int i = 0; i < Math.min(answered, request.count()); i++) {
        rtts.add(Duration.ofMillis(2));
      }
      return EchoResult.of(request.target(), request.count(), rtts);
    }

    @Override
    public String name() {
      return "scripted";
    }
  }

  /** Records the repairs asked of it. */
  private static final class RecordingBackend extends QuietBackend {
    final List<String> actions = new ArrayList<>();
    volatile boolean listFails;
    volatile boolean initiateFails;
    volatile List<IkeSa> sas = List.of();

    @Override
    public List<IkeSa> listSas() throws BackendException {
      if (listFails) {
        throw new BackendException("connecting to charon failed");
      }
      return sas;
    }

    @Override
    public void rekeyIke(String ike) {
      actions.add("rekey-ike " + ike);
    }

    @Override
    public void reauthIke(String ike, String child) {
      actions.add("reauth-ike " + ike + "/" + child);
    }

    @Override
    public void initiateChild(String ike, String child, java.util.Optional<Boolean> siblingAlive) throws BackendException {
      actions.add("initiate " + ike + "/" + child);
      if (initiateFails) {
        throw new BackendException("refused");
      }
    }

    @Override
    public void restartIke(String ike, String child) {
      actions.add("restart-ike " + ike + "/" + child);
    }

    @Override
    public void carryTraffic(String ike, String child) {
      actions.add("carry-traffic " + ike + "/" + child);
    }

    @Override
    public void terminateChild(String ike, String child) {
      actions.add("terminate-child " + ike + "/" + child);
    }

    @Override
    public void rekeyChild(String ike, String child) {
      actions.add("rekey-child " + ike + "/" + child);
    }

    @Override
    public void restartService() {
      actions.add("restart-service");
    }

    @Override
    public String name() {
      return "recording";
    }
  }
}
