package org.tunnelwatch.ipsec.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tunnelwatch.ipsec.strongswan.StrongswanConfFixtures.path;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.config.ConfigWord;
import org.tunnelwatch.config.LibreswanVersion;
import org.tunnelwatch.config.MakeBeforeBreakSetting;
import org.tunnelwatch.ipsec.strongswan.ReauthMode.State;

class MakeBeforeBreakTest {

  @TempDir Path dir;

  @Test
  void debiansLayoutWithTheSettingInCharonConf() {
    Path conf = path("debian/strongswan.conf");

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(
            new ReauthMode(
                State.ON, conf.resolveSibling("strongswan.d/charon.conf") + ":11: charon.make_before_break = yes"));
  }

  @Test
  void charonSystemdsOwnSectionWinsOverCharons() {
    Path conf = path("make-before-break/systemd-wins.conf");

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(new ReauthMode(State.ON, conf + ":5: charon-systemd.make_before_break = yes"));
  }

  @Test
  void charonsSectionIsTheFallback() {
    Path conf = path("make-before-break/charon.conf");

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(new ReauthMode(State.ON, conf + ":2: charon.make_before_break = yes"));
  }

  @Test
  void libstrongswanIsTheLastFallback() {
    Path conf = path("make-before-break/libstrongswan.conf");

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(new ReauthMode(State.ON, conf + ":2: libstrongswan.make_before_break = Enabled"));
  }

  @Test
  void aSectionReferenceOfCharonSystemdIsFollowed() {
    Path conf = path("make-before-break/reference.conf");

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(new ReauthMode(State.ON, conf + ":2: gateway-defaults.make_before_break = true"));
  }

  @Test
  void anEmptyAssignmentInCharonSystemdRestoresTheDefault() {
    Path conf = path("make-before-break/cleared.conf");

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(
            new ReauthMode(
                State.OFF,
                "not set in " + conf + " and its includes: strongSwan's default before 6.0, no"));
  }

  @Test
  void aValueThatIsNoBooleanIsUnknownNotNo() {
    Path conf = path("make-before-break/not-a-boolean.conf");

    ReauthMode mode = MakeBeforeBreak.detect(conf);

    assertThat(mode.makeBeforeBreak()).isEqualTo(State.UNKNOWN);
    assertThat(mode.source())
        .isEqualTo(
            "unreadable: " + conf + ":2: charon.make_before_break = sometimes: not a strongSwan boolean"
                + " (yes, no, true, false, enabled, disabled, 1 or 0)");
  }

  @Test
  void aFileThatCannotBeReadIsUnknownNotNo() throws Exception {
    Files.writeString(dir.resolve("strongswan.conf"), "charon {\n  make_before_break = yes\n");

    assertThat(MakeBeforeBreak.detect(dir.resolve("absent.conf")))
        .isEqualTo(new ReauthMode(State.UNKNOWN, "unreadable: " + dir.resolve("absent.conf") + ": no such file"));
    assertThat(MakeBeforeBreak.detect(dir.resolve("strongswan.conf")).makeBeforeBreak()).isEqualTo(State.UNKNOWN);
  }

  /** This machine's own strongswan.conf: Debian's, which leaves make_before_break at its default. */
  @Test
  void thisMachinesStrongswanConfLeavesItAtTheDefault() {
    Path conf = Path.of("/etc/strongswan.conf");
    if (!Files.exists(conf) && !"true".equals(System.getenv("CI"))) {
      throw new TestAbortedException("/etc/strongswan.conf is absent here (apt-get install strongswan-charon)");
    }
    assertThat(conf).as("with CI=true the machine must have strongSwan's /etc/strongswan.conf").exists();

    assertThat(MakeBeforeBreak.detect(conf))
        .isEqualTo(
            new ReauthMode(
                State.OFF,
                "not set in /etc/strongswan.conf and its includes: strongSwan's default before 6.0, no"));
  }

  @Test
  void theBackendConfigurationDecidesWhetherTheFileIsRead() {
    Path absent = dir.resolve("absent.conf");

    assertThat(ReauthMode.forBackend(backend("swanctl", absent, "yes")))
        .isEqualTo(new ReauthMode(State.ON, "backend.make-before-break in the configuration"));
    assertThat(ReauthMode.forBackend(backend("vici", absent, "no")))
        .isEqualTo(new ReauthMode(State.OFF, "backend.make-before-break in the configuration"));
    assertThat(ReauthMode.forBackend(backend("auto", absent, "auto")).makeBeforeBreak()).isEqualTo(State.UNKNOWN);
    assertThat(ReauthMode.forBackend(backend("auto", path("debian/strongswan.conf"), "auto")).isMakeBeforeBreak()).isTrue();
    assertThat(ReauthMode.forBackend(backend("libreswan", absent, "yes")).makeBeforeBreak()).isEqualTo(State.NOT_APPLICABLE);
  }

  @Test
  void linesForAnOperator() {
    ReauthMode on = new ReauthMode(State.ON, "f:1: charon.make_before_break = yes");
    ReauthMode off = new ReauthMode(State.OFF, "backend.make-before-break in the configuration");
    ReauthMode unknown = new ReauthMode(State.UNKNOWN, "unreadable: f: no such file");

    assertThat(on.describe()).isEqualTo("make-before-break: yes (f:1: charon.make_before_break = yes)");
    assertThat(on.warning()).isEmpty();
    assertThat(off.describe()).isEqualTo("make-before-break: no (backend.make-before-break in the configuration)");
    assertThat(off.warning())
        .contains(
            "warning: charon does not do make-before-break reauthentication (backend.make-before-break in the"
                + " configuration): reauth-ike interrupts every CHILD SA of its IKE SA; the agent plans its repairs without it");
    assertThat(unknown.describe()).isEqualTo("make-before-break: unknown (unreadable: f: no such file)");
    assertThat(unknown.warning()).hasValueSatisfying(w -> assertThat(w).startsWith("warning: cannot tell whether charon"));
  }

  private static BackendConfig backend(String type, Path conf, String makeBeforeBreak) {
    return new BackendConfig(
        ConfigWord.find(BackendType.class, type).orElseThrow(), Path.of("/usr/sbin/swanctl"), "unix:///var/run/charon.vici",
        "true", Duration.ofSeconds(10), Path.of("/usr/sbin/ipsec"), LibreswanVersion.AUTO, conf,
        ConfigWord.find(MakeBeforeBreakSetting.class, makeBeforeBreak).orElseThrow());
  }
}
