package org.tunnelwatch.ipsec.libreswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.config.ConfigWord;
import org.tunnelwatch.config.LibreswanVersion;
import org.tunnelwatch.exec.RecordingRunner;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaStatus;

class LibreswanBackendTest {

  private static final String IPSEC = "/usr/sbin/ipsec";

  private final RecordingRunner runner = new RecordingRunner();

  private LibreswanBackend backend(String version) {
    return new LibreswanBackend(
        new BackendConfig(BackendType.LIBRESWAN, Path.of("/usr/sbin/swanctl"), "unix:///var/run/charon.vici", "systemctl restart ipsec",
            Duration.ofSeconds(10), Path.of(IPSEC), ConfigWord.find(LibreswanVersion.class, version).orElseThrow()),
        runner);
  }

  @Nested
  class States {

    @Test
    void libreswan4LinesWithTheirCodePrefix() throws Exception {
      runner.answer(0, Fixtures.read("libreswan/showstates-4-established.txt"))
          .answer(0, Fixtures.read("libreswan/trafficstatus-4-established.txt"));

      List<IkeSa> sas = backend("4").listSas();

      assertThat(sas)
          .containsExactly(
              new IkeSa("sg1-sgcentral", 1, "ESTABLISHED",
                  List.of(new ChildSa("sg1-sgcentral", 2, "INSTALLED", 0, 0, 0, 0), new ChildSa("sg1-sgcentral", 3, "INSTALLED", 336, 336, 0, 0))),
              new IkeSa("sg11-sgcentral", 4, "V2_PARENT_I1", List.of()));
      assertThat(SaStatus.of(sas, "sg1-sgcentral", "sg1-sgcentral").child()).get().extracting(ChildSa::uniqueId).isEqualTo(3L);
      assertThat(SaStatus.of(sas, "sg11-sgcentral", "sg11-sgcentral").describe()).isEqualTo("IKE V2_PARENT_I1, CHILD none");
      assertThat(runner.commands())
          .containsExactly(List.of(IPSEC, "whack", "--showstates"), List.of(IPSEC, "whack", "--trafficstatus"));
    }

    @Test
    void libreswan5LinesWithoutPrefix() throws Exception {
      runner.answer(0, Fixtures.read("libreswan/showstates-5-established.txt"))
          .answer(0, Fixtures.read("libreswan/trafficstatus-5-established.txt"));

      assertThat(backend("5").listSas())
          .containsExactly(
              new IkeSa("sg1-sgcentral", 6, "ESTABLISHED", List.of(new ChildSa("sg1-sgcentral", 5, "INSTALLED", 84, 84, 0, 0))));
    }

    @Test
    void anIkev1IpsecSaOutlivesItsIsakmpSa() throws Exception {
      runner.answer(0, Fixtures.read("libreswan/showstates-4-ikev1-expired-isakmp.txt"))
          .answer(0, Fixtures.read("libreswan/trafficstatus-4-ikev1-expired-isakmp.txt"));

      List<IkeSa> sas = backend("4").listSas();

      assertThat(SaStatus.of(sas, "sitel-site2", "sitel-site2").describe()).isEqualTo("IKE NONE, CHILD INSTALLED");
    }

    @Test
    void anInstanceOfATemplateConnCountsUnderTheConnsName() {
      assertThat(LibreswanStatusParser.parse("", Fixtures.read("libreswan/trafficstatus-4-roadwarrior.txt")))
          .containsExactly(new IkeSa("Road-Central", 0, "NONE", List.of(new ChildSa("Road-Central", 2, "INSTALLED", 1344, 2016, 0, 0))));
    }

    @Test
    void nothingUpIsNoSas() throws Exception {
      runner.answer(0, "").answer(0, "");
      assertThat(backend("5").listSas()).isEmpty();
    }

    @Test
    void aFailingStatusCallSaysWhichCommand() {
      runner.answerOutput(1, "", "whack: Pluto is not running (no \"/run/pluto/pluto.ctl\"): No such file or directory (errno 2)\n");
      assertThatThrownBy(() -> backend("5").listSas())
          .isInstanceOf(BackendException.class)
          .hasMessage("ipsec whack --showstates exit 1: whack: Pluto is not running (no \"/run/pluto/pluto.ctl\"): No such file or directory (errno 2)");
    }
  }

  @Nested
  class Commands {

    @Test
    void libreswan5InitiatesWithUpAndRestartsWithDownThenUp() throws Exception {
      runner.answer(0, Fixtures.read("libreswan/up-5-ok.txt"));
      LibreswanBackend b = backend("5");
      b.initiateChild("sg1-sgcentral", "sg1-sgcentral");
      b.restartIke("sg1-sgcentral", "sg1-sgcentral");
      assertThat(runner.commands())
          .containsExactly(
              List.of(IPSEC, "up", "sg1-sgcentral"), List.of(IPSEC, "down", "sg1-sgcentral"), List.of(IPSEC, "up", "sg1-sgcentral"));
    }

    @Test
    void libreswan4UsesIpsecAuto() throws Exception {
      LibreswanBackend b = backend("4");
      b.restartIke("sg1-sgcentral", "sg1-sgcentral");
      assertThat(runner.commands())
          .containsExactly(List.of(IPSEC, "auto", "--down", "sg1-sgcentral"), List.of(IPSEC, "auto", "--up", "sg1-sgcentral"));
    }

    @Test
    void aFailoverSwitchIsUpOnTheMembersConnAndATerminateIsDown() throws Exception {
      runner.answer(0, Fixtures.read("libreswan/up-5-ok.txt")).answer(0, "");
      LibreswanBackend b = backend("5");
      b.carryTraffic("via-hub-b", "via-hub-b");
      b.terminateChild("via-hub-a", "via-hub-a");
      assertThat(runner.commands()).containsExactly(List.of(IPSEC, "up", "via-hub-b"), List.of(IPSEC, "down", "via-hub-a"));
    }

    @Test
    void libreswan4SwitchesWithIpsecAuto() throws Exception {
      LibreswanBackend b = backend("4");
      b.carryTraffic("via-hub-b", "via-hub-b");
      b.terminateChild("via-hub-a", "via-hub-a");
      assertThat(runner.commands())
          .containsExactly(List.of(IPSEC, "auto", "--up", "via-hub-b"), List.of(IPSEC, "auto", "--down", "via-hub-a"));
    }

    @Test
    void aFailedSwitchReportsPlutosLastWord() {
      runner.answer(1, Fixtures.read("libreswan/up-4-fail.txt"));
      assertThatThrownBy(() -> backend("4").carryTraffic("sg1-sgcentral", "sg1-sgcentral"))
          .hasMessageStartingWith("ipsec auto --up sg1-sgcentral exit 1: 000 \"sg1-sgcentral\" #1: starting keying attempt 2");
    }

    @Test
    void aFailedUpReportsPlutosLastWord() {
      runner.answer(1, Fixtures.read("libreswan/up-4-fail.txt"));
      assertThatThrownBy(() -> backend("4").initiateChild("sg1-sgcentral", "sg1-sgcentral"))
          .hasMessage(
              "ipsec auto --up sg1-sgcentral exit 1: 000 \"sg1-sgcentral\" #1: starting keying attempt 2 of an unlimited number,"
                  + " but releasing whack");
    }

    @Test
    void aFailingDownDoesNotStopTheUpButAHangingOneDoes() throws Exception {
      runner.answer(1, "").answer(0, "");
      backend("5").restartIke("c", "c");
      assertThat(runner.commands()).hasSize(2);

      RecordingRunner hanging = new RecordingRunner().hang(Duration.ofSeconds(10));
      LibreswanBackend b =
          new LibreswanBackend(
              new BackendConfig(BackendType.LIBRESWAN, Path.of("/usr/sbin/swanctl"), "unix:///x", "true", Duration.ofSeconds(10), Path.of(IPSEC), LibreswanVersion.V5),
              hanging);
      assertThatThrownBy(() -> b.restartIke("c", "c")).hasMessage("ipsec down killed after timeout of 10000ms");
      assertThat(hanging.commands()).hasSize(1);
    }

    @Test
    void rekeysThroughWhackWithEachVersionsOption() throws Exception {
      backend("4").rekeyIke("sg1-sgcentral");
      backend("4").rekeyChild("sg1-sgcentral");
      backend("5").rekeyChild("sg1-sgcentral");
      assertThat(runner.commands())
          .containsExactly(
              List.of(IPSEC, "whack", "--rekey-ike", "--name", "sg1-sgcentral"),
              List.of(IPSEC, "whack", "--rekey-ipsec", "--name", "sg1-sgcentral"),
              List.of(IPSEC, "whack", "--rekey-child", "--name", "sg1-sgcentral"));
    }

    @Test
    void theServiceIsRestartedThroughTheShellCommand() throws Exception {
      backend("5").restartService();
      assertThat(runner.commands()).containsExactly(List.of("/bin/sh", "-c", "systemctl restart ipsec"));
    }
  }

  @Nested
  class VersionDetection {

    @Test
    void readsTheVersionOnceFromIpsecVersion() throws Exception {
      runner.answer(0, Fixtures.read("libreswan/version-4.txt"));
      LibreswanBackend b = backend("auto");
      b.initiateChild("c", "c");
      b.initiateChild("c", "c");
      assertThat(runner.commands())
          .containsExactly(List.of(IPSEC, "--version"), List.of(IPSEC, "auto", "--up", "c"), List.of(IPSEC, "auto", "--up", "c"));
      assertThat(b.name()).isEqualTo("libreswan 4 (/usr/sbin/ipsec)");
    }

    @Test
    void libreswan5VersionLine() {
      assertThat(LibreswanBackend.parseMajor(Fixtures.read("libreswan/version-5.txt"))).contains(5);
      assertThat(LibreswanBackend.parseMajor("Linux Libreswan U3.25/K4.19.0 (netkey)")).contains(3);
    }

    @Test
    void anUnreadableVersionIsAClearError() {
      runner.answer(0, "Linux strongSwan U5.9.8/K6.1.0-28-amd64\n");
      assertThatThrownBy(() -> backend("auto").initiateChild("c", "c"))
          .isInstanceOf(BackendException.class)
          .hasMessage(
              "cannot tell the Libreswan version from \"ipsec --version\" (exit 0: Linux strongSwan U5.9.8/K6.1.0-28-amd64);"
                  + " set backend.libreswan-version to 4 or 5");
    }
  }
}
