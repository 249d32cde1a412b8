package org.tunnelwatch.ipsec.swanctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.RecordingRunner;
import org.tunnelwatch.ipsec.BackendException;

class SwanctlBackendTest {

  private static final String URI = "unix:///run/lab/sat.vici";
  private static final BackendConfig CONFIG =
      new BackendConfig(BackendType.SWANCTL, Path.of("/usr/sbin/swanctl"), URI, "systemctl restart strongswan", Duration.ofSeconds(10));

  private final RecordingRunner runner = new RecordingRunner();
  private final SwanctlBackend backend = new SwanctlBackend(CONFIG, runner);

  @Test
  void listsSasInRawFormatThroughTheConfiguredSocket() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt"));
    assertThat(backend.listSas()).hasSize(1);
    assertThat(runner.commands()).containsExactly(List.of("/usr/sbin/swanctl", "--list-sas", "--raw", "--uri", URI));
  }

  @Test
  void initiatesTheChildOfItsConnectionWithATimeoutBelowTheKillTimeout() throws Exception {
    backend.initiateChild("sg1-sgcentral", "net");
    assertThat(runner.commands())
        .containsExactly(
            List.of("/usr/sbin/swanctl", "--initiate", "--ike", "sg1-sgcentral", "--child", "net", "--timeout", "9", "--uri", URI));
  }

  @Test
  void rekeysTheIkeSaOfItsConnection() throws Exception {
    backend.rekeyIke("sg1-sgcentral");
    assertThat(runner.commands())
        .containsExactly(List.of("/usr/sbin/swanctl", "--rekey", "--ike", "sg1-sgcentral", "--uri", URI));
  }

  @Test
  void readsTheAgesSwanctlPrintsToo() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt"));
    var ike = backend.listSas().get(0);
    assertThat(ike.establishedSeconds()).isPresent();
    assertThat(ike.children().get(0).inboundIdleSeconds()).isPresent();
  }

  @Test
  void aFailedInitiateReportsSwanctlsReasonNotThePluginNoise() {
    String output =
        Fixtures.read("swanctl/initiate-fail-duplicate.txt").replaceAll("(?m)^\\[IKE\\] not establishing.*$", "");
    runner.answerOutput(1, "", output);
    assertThatThrownBy(() -> backend.initiateChild("sg1-sgcentral", "net"))
        .isInstanceOf(BackendException.class)
        .hasMessage("swanctl --initiate exit 1: initiate failed: establishing CHILD_SA 'net' failed");
    assertThat(runner.commands()).hasSize(1);
  }

  /**
   * The installed fixture with a second CHILD SA, net11, under the same IKE SA that received a
   * packet {@code idleSeconds} ago: the two-subnets case of the seed.
   */
  private static String withSibling(long idleSeconds) {
    String sibling =
        " net11-2 {name=net11 uniqueid=2 reqid=2 state=INSTALLED mode=TUNNEL protocol=ESP encap=yes spi-in=c1a0f00d"
            + " spi-out=c1a0beef bytes-in=840 packets-in=10 use-in=" + idleSeconds + " bytes-out=840 packets-out=10"
            + " use-out=0 local-ts=[198.18.11.0/24] remote-ts=[203.0.113.0/24]}";
    return Fixtures.read("swanctl/list-sas-raw-installed.txt").replace("remote-ts=[203.0.113.0/24]}}", "remote-ts=[203.0.113.0/24]}" + sibling + "}");
  }

  @Test
  void anInitiateRefusedAsADuplicateRekeysTheInstalledChildWhenASiblingShowsTheIkeSaAliveAndStillFails() {
    runner
        .answerOutput(1, "", Fixtures.read("swanctl/initiate-fail-duplicate.txt"))
        .answer(0, withSibling(2))
        .answer(0, "rekey completed successfully\n");
    assertThatThrownBy(() -> backend.initiateChild("sg1-sgcentral", "net"))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            "swanctl --initiate refused: CHILD SA net is installed already (stale?); a sibling CHILD SA still receives,"
                + " so asked the daemon to rekey it");
    assertThat(runner.commands().get(2))
        .isEqualTo(List.of("/usr/sbin/swanctl", "--rekey", "--ike", "sg1-sgcentral", "--child", "net", "--uri", URI));
  }

  @Test
  void anInitiateRefusedAsADuplicateLeavesAnIkeSaWithoutSignOfLifeToTheNextRung() {
    runner
        .answerOutput(1, "", Fixtures.read("swanctl/initiate-fail-duplicate.txt"))
        .answer(0, withSibling(600));
    assertThatThrownBy(() -> backend.initiateChild("sg1-sgcentral", "net"))
        .hasMessage(
            "swanctl --initiate refused: CHILD SA net is installed already (stale?); no CHILD SA of its IKE SA receives"
                + " anything, so the IKE SA is left to the next rung");
    // No rekey: over a dead IKE SA it would go nowhere and hold up the reauthentication.
    assertThat(runner.commands()).hasSize(2);
    assertThat(runner.commands().get(1)).containsSequence("--list-sas", "--raw");
  }

  @Test
  void aFailedRekeyAfterADuplicateSaysWhy() {
    runner
        .answerOutput(1, "", Fixtures.read("swanctl/initiate-fail-duplicate.txt"))
        .answer(0, withSibling(0))
        .answerOutput(1, "", "rekey failed: no matching SAs to rekey found\n");
    assertThatThrownBy(() -> backend.initiateChild("sg1-sgcentral", "net"))
        .hasMessageEndingWith("rekeying it failed too: exit 1: rekey failed: no matching SAs to rekey found");
  }

  @Test
  void reauthenticatesAnIkeSaThatExists() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt")).answer(0, "rekey completed successfully\n");
    backend.reauthIke("sg1-sgcentral", "net");
    assertThat(runner.commands().get(1))
        .isEqualTo(List.of("/usr/sbin/swanctl", "--rekey", "--ike", "sg1-sgcentral", "--reauth", "--uri", URI));
  }

  @Test
  void initiatesInsteadOfReauthenticatingWhenThereIsNoIkeSa() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-empty.txt")).answer(0, "");
    backend.reauthIke("sg1-sgcentral", "net");
    assertThat(runner.commands().get(1)).containsSequence("--initiate", "--ike", "sg1-sgcentral", "--child", "net");
  }

  @Test
  void aTimedOutInitiateIsNotFollowedByARekey() {
    runner.hang(Duration.ofSeconds(10));
    assertThatThrownBy(() -> backend.initiateChild("sg1-sgcentral", "net"))
        .hasMessage("swanctl --initiate killed after timeout of 10000ms");
    assertThat(runner.commands()).hasSize(1);
  }

  @Test
  void restartingTheIkeSaForcesTheTerminateThenInitiatesEvenIfTerminateFailed() throws Exception {
    runner.answerOutput(1, "", Fixtures.read("swanctl/terminate-ike-timeout.txt")).answer(0, "");
    backend.restartIke("sg1-sgcentral", "net");
    assertThat(runner.commands()).hasSize(2);
    assertThat(runner.commands().get(0))
        .isEqualTo(List.of("/usr/sbin/swanctl", "--terminate", "--ike", "sg1-sgcentral", "--force", "--uri", URI));
    assertThat(runner.commands().get(1)).containsSequence("--initiate", "--ike", "sg1-sgcentral", "--child", "net");
  }

  @Test
  void aHangingTerminateStopsTheRestart() {
    runner.hang(Duration.ofSeconds(10));
    assertThatThrownBy(() -> backend.restartIke("sg1-sgcentral", "net"))
        .isInstanceOf(BackendException.class)
        .hasMessage("swanctl --terminate killed after timeout of 10000ms");
    assertThat(runner.commands()).hasSize(1);
  }

  @Test
  void carryingTrafficInitiatesAChildSaThatIsNotInstalled() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-empty.txt")).answer(0, "");
    backend.carryTraffic("hub-b", "net");
    assertThat(runner.commands().get(1)).containsSequence("--initiate", "--ike", "hub-b", "--child", "net");
  }

  @Test
  void carryingTrafficTerminatesAnInstalledChildSaWaitsUntilItIsGoneThenInitiatesIt() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt"))
        .answer(0, "")
        .answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt")) // still being deleted
        .answer(0, Fixtures.read("swanctl/list-sas-raw-empty.txt"))
        .answer(0, "");
    backend.carryTraffic("sg1-sgcentral", "net");
    assertThat(runner.commands()).hasSize(5);
    assertThat(runner.commands().get(1))
        .isEqualTo(List.of("/usr/sbin/swanctl", "--terminate", "--ike", "sg1-sgcentral", "--child", "net", "--timeout", "-1", "--uri", URI));
    assertThat(runner.commands().get(2)).contains("--list-sas");
    assertThat(runner.commands().get(3)).contains("--list-sas");
    assertThat(runner.commands().get(4)).containsSequence("--initiate", "--ike", "sg1-sgcentral", "--child", "net");
  }

  /** A stale copy in an old IKE SA being deleted may stay listed: the daemon then says whether the initiate may go ahead. */
  @Test
  void carryingTrafficInitiatesAnywayWhenTheTerminatedChildSaIsStillListedAfterTheWait() throws Exception {
    runner.answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt")).answer(0, "");
    for (int i = 0; i < 400; i++) { // listed throughout the wait (a list every 50 ms or more)
      runner.answer(0, Fixtures.read("swanctl/list-sas-raw-installed.txt"));
    }
    backend.carryTraffic("sg1-sgcentral", "net");
    List<String> last = runner.commands().get(runner.commands().size() - 1);
    assertThat(last).containsSequence("--initiate", "--ike", "sg1-sgcentral", "--child", "net");
  }

  @Test
  void terminatingAChildSaDoesNotWaitForThePeer() throws Exception {
    backend.terminateChild("hub-a", "net");
    assertThat(runner.commands())
        .containsExactly(List.of("/usr/sbin/swanctl", "--terminate", "--ike", "hub-a", "--child", "net", "--timeout", "-1", "--uri", URI));
  }

  @Test
  void terminatingAChildSaThatIsGoneIsNoFailureButOtherRefusalsAre() throws Exception {
    runner.answerOutput(1, "", "terminate failed: no matching SAs to terminate found\n");
    backend.terminateChild("hub-a", "net");
    runner.answerOutput(1, "", "connecting to 'unix:///run/lab/sat.vici' failed: Connection refused\n");
    assertThatThrownBy(() -> backend.terminateChild("hub-a", "net"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("Connection refused");
  }

  @Test
  void theServiceIsRestartedThroughTheShellCommand() throws Exception {
    backend.restartService();
    assertThat(runner.commands()).containsExactly(List.of("/bin/sh", "-c", "systemctl restart strongswan"));
  }

  @Test
  void aFailingRestartCommandSaysWhich() {
    runner.answerOutput(5, "", "Failed to restart strongswan.service: Unit not found.\n");
    assertThatThrownBy(backend::restartService)
        .hasMessage("\"systemctl restart strongswan\" exit 5: Failed to restart strongswan.service: Unit not found.");
  }

  @Test
  void unreadableListOutputIsAClearError() {
    runner.answer(0, "list-sa event {broken");
    assertThatThrownBy(backend::listSas)
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith("swanctl --list-sas printed something unexpected: line ends inside a section");
  }
}
