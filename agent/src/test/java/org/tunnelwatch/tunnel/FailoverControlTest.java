package org.tunnelwatch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.FailoverMode;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.failover.SwitchReason;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundSample;
import org.tunnelwatch.health.RoundWindow;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.ipsec.QuietBackend;
import org.tunnelwatch.remedy.FailoverStanding;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.state.ActiveMembersFile;
import org.tunnelwatch.time.ManualTime;

class FailoverControlTest {

  private static final String A = "via-hub-a";
  private static final String B = "via-hub-b";

  @TempDir Path stateDir;

  private final ManualTime time = new ManualTime();
  private final RecordingBackend backend = new RecordingBackend();
  private final List<String> heard = new ArrayList<>();
  private final TunnelEvents events =
      new TunnelEvents() {
        @Override
        public void failoverSwitched(Switch s) {
          heard.add("switched " + s.from() + " -> " + s.to() + " " + s.reason().configName());
        }

        @Override
        public void failoverActive(String group, List<String> members, String active) {
          heard.add(group + " on " + active);
        }
      };

  private FailoverControl control(FailoverMode mode, boolean dryRun) {
    return control(mode, dryRun, Optional.of(Duration.ZERO));
  }

  private FailoverControl control(FailoverMode mode, boolean dryRun, Optional<Duration> failoverAfter) {
    FailoverGroupConfig group =
        new FailoverGroupConfig(
            "central", List.of(A, B), mode, failoverAfter, true, Duration.ofSeconds(60),
            FailoverGroupConfig.HoldDown.DEFAULT, OptionalDouble.empty());
    // Runnable::run: the switch is carried out at once, on the test's thread.
    return new FailoverControl(
        List.of(group), List.of(tunnel(A, "hub-a"), tunnel(B, "hub-b")), backend, dryRun, time, events, new ActiveMembersFile(stateDir),
        Runnable::run);
  }

  private static TunnelConfig tunnel(String name, String ike) {
    return new TunnelConfig(name, ike, "net", address("192.0.2.1"), List.of(ProbeTarget.icmp(address("203.0.113.10"))), Optional.empty(), TunnelSettings.DEFAULTS);
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private void round(FailoverControl control, String tunnel, TunnelState state) {
    round(control, tunnel, state, Optional.empty());
  }

  private void round(FailoverControl control, String tunnel, TunnelState state, Optional<SaStatus> sa) {
    round(control, tunnel, state, sa, Optional.empty());
  }

  private void round(FailoverControl control, String tunnel, TunnelState state, Optional<SaStatus> sa, Optional<LinkState> uplink) {
    time.advance(Duration.ofSeconds(2));
    TunnelRound round =
        new TunnelRound(tunnel, Instant.EPOCH, List.of(), uplink, sa, Optional.empty(), new RoundSample(0, 3, 0, 0));
    HealthState health = new HealthState(state, 0, 0, RoundWindow.empty(), 0, "", 0);
    control.roundCompleted(round, health, RemedyState.initial());
  }

  @Nested
  class Switching {

    @Test
    void aFailedPrimaryMovesTheTrafficToTheBackupThenLetsThePrimaryGo() {
      FailoverControl control = control(FailoverMode.HOT, false);
      control.announce();
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.UP);
      round(control, A, TunnelState.DOWN);

      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net", "terminate-child hub-a/net");
      assertThat(heard).containsExactly("central on via-hub-a", "switched via-hub-a -> via-hub-b failover", "central on via-hub-b");
      assertThat(control.statuses()).containsExactly(new FailoverStatus("central", B, List.of(A, B), true));
    }

    @Test
    void preemptMakesThePrimaryCarryTheTrafficAndKeepsTheHotBackup() {
      FailoverControl control = control(FailoverMode.HOT, false);
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN);
      backend.calls.clear();
      round(control, A, TunnelState.UP);
      time.advance(Duration.ofSeconds(60));
      round(control, A, TunnelState.UP);

      assertThat(backend.calls).containsExactly("carry-traffic hub-a/net");
      assertThat(heard).contains("switched via-hub-b -> via-hub-a preempt");
    }

    @Test
    void byTheLadderAMemberWhoseUplinkIsDownIsLeftAtOnceSinceNoRungIsTriedMeanwhile() {
      FailoverControl control = control(FailoverMode.HOT, false, Optional.empty());
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN);
      assertThat(backend.calls).as("uplink up: the ladder has just begun").isEmpty();

      round(control, A, TunnelState.DOWN, Optional.empty(), Optional.of(new LinkState("wan0", true, "down", true, false)));

      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net", "terminate-child hub-a/net");
    }

    @Test
    void byTheLadderAnIkeRepairHeldForASilentPeerCountsAsTheLocalRungsFailed() {
      FailoverControl control = control(FailoverMode.HOT, false, Optional.empty());
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN);
      assertThat(backend.calls).as("the ladder has just begun").isEmpty();

      control.actionHeld(A, RemedyAction.RESTART_IKE, "the peer 192.0.2.1:4500 cannot be reached for IKE");
      round(control, A, TunnelState.DOWN);

      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net", "terminate-child hub-a/net");
    }

    @Test
    void aMemberWhoseOwnChildSaIsGoneIsNotHealthyWhateverItsEchoesSay() {
      FailoverControl control = control(FailoverMode.HOT, false);
      round(control, A, TunnelState.UP);
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.UP, Optional.of(new SaStatus(Optional.empty(), Optional.empty())));

      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net", "terminate-child hub-a/net");
    }

    @Test
    void byTheLadderAMemberWhoseNewIkeSaThePeerDoesNotAnswerHasFailedItsLocalRungs() {
      FailoverControl control = control(FailoverMode.HOT, false, Optional.empty());
      round(control, B, TunnelState.UP);
      SaStatus connecting = new SaStatus(Optional.of(new IkeSa("hub-a", 7, "CONNECTING", List.of())), Optional.empty(), true);
      round(control, A, TunnelState.DOWN, Optional.of(connecting));
      assertThat(backend.calls).as("before the ladder acted").isEmpty();

      time.advance(Duration.ofSeconds(1));
      TunnelRound round =
          new TunnelRound(A, Instant.EPOCH, List.of(), Optional.empty(), Optional.of(connecting), Optional.empty(), new RoundSample(0, 3, 0, 0));
      RemedyState acted = new RemedyState(1, OptionalLong.of(time.monotonicNanos()), List.of(time.monotonicNanos()), false, false, true);
      control.roundCompleted(round, new HealthState(TunnelState.DOWN, 4, 0, RoundWindow.empty(), 0, "", 0), acted);

      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net", "terminate-child hub-a/net");
    }

    @Test
    void aSwitchTheDaemonRefusesIsUndone() {
      FailoverControl control = control(FailoverMode.HOT, false);
      backend.refuse = true;
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN);

      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net");
      assertThat(control.statuses().get(0).active()).isEqualTo(A);
      assertThat(heard).endsWith("central on via-hub-a");
    }

    @Test
    void dryRunDecidesAndReportsButNeverActsNorSaves() {
      FailoverControl control = control(FailoverMode.HOT, true);
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN);

      assertThat(backend.calls).isEmpty();
      assertThat(heard).contains("switched via-hub-a -> via-hub-b failover");
      assertThat(stateDir.resolve("failover-active.json")).doesNotExist();
    }
  }

  @Nested
  class TrafficChild {

    private FailoverControl withProbeChildren() {
      FailoverGroupConfig group =
          new FailoverGroupConfig(
              "central", List.of(A, B), FailoverMode.HOT, Optional.of(Duration.ZERO), true, Duration.ofSeconds(60),
              FailoverGroupConfig.HoldDown.DEFAULT, OptionalDouble.empty());
      TunnelConfig a = new TunnelConfig(A, "hub-a", "probe-a", address("192.0.2.11"), List.of(ProbeTarget.icmp(address("203.0.113.10"))), Optional.empty(),
          TunnelSettings.DEFAULTS, Optional.of("net-a"));
      TunnelConfig b = new TunnelConfig(B, "hub-b", "probe-b", address("192.0.2.12"), List.of(ProbeTarget.icmp(address("203.0.113.10"))), Optional.empty(),
          TunnelSettings.DEFAULTS, Optional.of("net-b"));
      return new FailoverControl(List.of(group), List.of(a, b), backend, false, time, events, new ActiveMembersFile(stateDir), Runnable::run);
    }

    @Test
    void switchesActOnTheTrafficChildNotOnTheProbedOne() {
      FailoverControl control = withProbeChildren();
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN);
      assertThat(backend.calls).containsExactly("carry-traffic hub-b/net-b", "terminate-child hub-a/net-a");
    }

    @Test
    void theActiveMemberBackFromItsOwnRepairsGetsItsTrafficChildBack() {
      FailoverControl control = withProbeChildren();
      HealthState down = new HealthState(TunnelState.DOWN, 3, 0, RoundWindow.empty(), 0, "", 0);
      HealthState up = new HealthState(TunnelState.UP, 0, 2, RoundWindow.empty(), 0, "", 0);
      control.stateChanged(B, down, up);
      assertThat(backend.calls).as("not the active member").isEmpty();
      control.stateChanged(A, down, up);
      assertThat(backend.calls).containsExactly("initiate hub-a/net-a");
    }
  }

  @Nested
  class Rekeys {

    @Test
    void aRekeyOfTheIdleMembersTrafficChildIsAnsweredByARekeyOfTheActiveOnes() {
      FailoverControl control = control(FailoverMode.HOT, false);
      control.childRekeyed("hub-b", "net");
      assertThat(backend.calls).containsExactly("rekey-child hub-a/net");
    }

    @Test
    void aRekeyOfTheActiveMemberOrOfAnotherConnectionChangesNothing() {
      FailoverControl control = control(FailoverMode.HOT, false);
      control.childRekeyed("hub-a", "net");
      control.childRekeyed("hub-b", "other");
      control.childRekeyed("elsewhere", "net");
      assertThat(backend.calls).isEmpty();
    }

    @Test
    void aColdGroupHasNoIdleMemberToRekey() {
      FailoverControl control = control(FailoverMode.COLD, false);
      control.childRekeyed("hub-b", "net");
      assertThat(backend.calls).isEmpty();
    }
  }

  @Nested
  class Restart {

    @Test
    void anAgentRestartedOnTheBackupStaysThereWithoutASwitch() {
      FailoverControl first = control(FailoverMode.HOT, false);
      round(first, B, TunnelState.UP);
      round(first, A, TunnelState.DOWN);
      backend.calls.clear();
      heard.clear();

      FailoverControl restarted = control(FailoverMode.HOT, false);
      restarted.announce();
      round(restarted, A, TunnelState.UNKNOWN);
      round(restarted, B, TunnelState.UP);

      assertThat(restarted.statuses().get(0).active()).isEqualTo(B);
      assertThat(backend.calls).isEmpty();
      assertThat(heard).containsExactly("central on via-hub-b");
    }
  }

  @Nested
  class Standing {

    @Test
    void theActiveMemberWithAHealthyBackupWaitsForTheSwitchInsteadOfARestart() {
      FailoverControl control = control(FailoverMode.HOT, false);
      round(control, A, TunnelState.UP);
      round(control, B, TunnelState.UP);
      assertThat(control.standing(A)).contains(new FailoverStanding("central", B, FailoverStanding.Role.ACTIVE_WITH_BACKUP));
      assertThat(control.standing(B)).contains(new FailoverStanding("central", A, FailoverStanding.Role.BACKED_UP));
    }

    @Test
    void withNoOtherMemberHealthyTheLadderIsAsWithoutAGroup() {
      FailoverControl control = control(FailoverMode.HOT, false);
      round(control, B, TunnelState.DOWN);
      round(control, A, TunnelState.DOWN);
      assertThat(control.standing(A)).isEmpty();
      assertThat(control.standing(B)).isEmpty();
      assertThat(control.standing("elsewhere")).isEmpty();
    }

    @Test
    void aColdStandbyIsNotRepaired() {
      FailoverControl control = control(FailoverMode.COLD, false);
      round(control, B, TunnelState.DOWN);
      assertThat(control.standing(B)).contains(new FailoverStanding("central", A, FailoverStanding.Role.COLD_STANDBY));
    }

    /** Seen in the lab: left unrepaired, a crashed hub's member never came back, so the traffic never did. */
    @Test
    void theFailedPrimaryOfAColdGroupIsRepairedWhileTheBackupCarriesSoThatTheTrafficCanComeBack() {
      FailoverControl control = control(FailoverMode.COLD, false);
      round(control, B, TunnelState.UNKNOWN);
      round(control, A, TunnelState.DOWN);
      assertThat(control.statuses()).extracting(FailoverStatus::active).containsExactly(B);
      round(control, B, TunnelState.UP);
      round(control, A, TunnelState.DOWN); // its SAs gone with its hub: no SA listed

      assertThat(control.standing(A)).contains(new FailoverStanding("central", B, FailoverStanding.Role.BACKED_UP));
    }
  }

  /** Records the switching calls; {@code refuse} makes carryTraffic fail as a daemon would. */
  private static final class RecordingBackend extends QuietBackend {
    final List<String> calls = new ArrayList<>();
    boolean refuse;

    @Override
    public void carryTraffic(String ike, String child) throws BackendException {
      calls.add("carry-traffic " + ike + "/" + child);
      if (refuse) {
        throw new BackendException("no config named " + ike);
      }
    }

    @Override
    public void terminateChild(String ike, String child) {
      calls.add("terminate-child " + ike + "/" + child);
    }

    @Override
    public void rekeyChild(String ike, String child) {
      calls.add("rekey-child " + ike + "/" + child);
    }

    @Override
    public void initiateChild(String ike, String child, Optional<Boolean> siblingAlive) {
      calls.add("initiate " + ike + "/" + child);
    }

    @Override
    public void restartService() {
      calls.add("restart-service");
    }

    @Override
    public String name() {
      return "recording";
    }
  }
}
