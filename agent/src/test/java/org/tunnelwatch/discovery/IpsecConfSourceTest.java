package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ipsec.conf syntax beyond the seed: include, also=, %default, and the reader's warnings. */
class IpsecConfSourceTest {

  @TempDir Path dir;

  private final FixedInterfaces gateway = new FixedInterfaces().with("eth1", "192.168.1.1/24");

  private TunnelPlanner.Plan discover(Path file) throws DiscoveryException {
    return new TunnelPlanner(gateway).plan(new IpsecConfSource(file, file.getFileName().toString(), gateway, Optional.empty()).read());
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Nested
  class Include {

    @Test
    void patternsAreRelativeToTheIncludingFileAndReadInNameOrder() throws Exception {
      write("ipsec.d/b.conf", "conn b\n\tleft=%defaultroute\n\tleftsubnet=192.168.1.0/24\n\tright=203.0.113.2\n\trightsubnet=10.2.0.0/16\n\tauto=start\n");
      write("ipsec.d/a.conf", "conn a\n\talso=base\n\trightsubnet=10.1.0.0/16\n");
      write("ipsec.d/notes.txt", "not a conf\n");
      Path main =
          write(
              "ipsec.conf",
              "config setup\n\tuniqueids=no\n\ninclude ipsec.d/*.conf\n\nconn base\n\tleft=%defaultroute\n\tleftsubnet=192.168.1.0/24\n"
                  + "\tright=203.0.113.1\n\tauto=start\n");

      TunnelPlanner.Plan plan = discover(main);

      assertThat(SeedFixturesTest.tunnels(plan))
          .containsExactly("a a/a 192.168.1.1 -> 10.1.0.1", "b b/b 192.168.1.1 -> 10.2.0.1", "base base/base 192.168.1.1 -> 203.0.113.1");
      assertThat(plan.tunnels().get(0).origin()).isEqualTo(dir.resolve("ipsec.d/a.conf") + ":1");
      assertThat(SeedFixturesTest.warnings(plan)).isEmpty();
    }

    @Test
    void aMissingFileIsAWarningAnEmptyPatternIsNot() throws Exception {
      Path main = write("ipsec.conf", "include /nonexistent/*.conf\ninclude missing.conf\n");
      assertThat(SeedFixturesTest.warnings(discover(main))).containsExactly("ipsec.conf:2: warning: include missing.conf: no such file");
    }

    @Test
    void aFileThatIncludesItselfIsNotFollowedForever() throws Exception {
      write("other.conf", "include ipsec.conf\n");
      Path main = write("ipsec.conf", "include other.conf\n");
      assertThat(SeedFixturesTest.warnings(discover(main)))
          .containsExactly(dir.resolve("other.conf") + ":1: warning: include " + dir.resolve("ipsec.conf") + " includes itself (through 2 file(s)); not followed");
    }

    @Test
    void aSecretsFileIsNeverReadEvenWhenIncluded() throws Exception {
      write("ipsec.secrets", ": PSK \"not-for-the-agent\"\n");
      write("site.secrets.inc", ": PSK \"nor-this\"\n");
      Path main = write("ipsec.conf", "include ipsec.secrets\ninclude *.inc\n");
      assertThat(SeedFixturesTest.warnings(discover(main)))
          .containsExactly(
              "ipsec.conf:1: warning: include " + dir.resolve("ipsec.secrets") + ": a secrets file; not read",
              "ipsec.conf:2: warning: include " + dir.resolve("site.secrets.inc") + ": a secrets file; not read");
    }

    @Test
    void anUnreadableTopFileIsAnErrorNotAWarning() {
      assertThatThrownBy(() -> discover(dir.resolve("nope.conf"))).isInstanceOf(DiscoveryException.class).hasMessage("nope.conf: no such file");
    }
  }

  @Nested
  class AlsoAndDefault {

    private static final String BASE =
        "conn %default\n\tauto=start\n\tright=203.0.113.9\n\nconn net\n\tleft=%defaultroute\n\tleftsubnet=192.168.1.0/24\n\tright=203.0.113.1\n\n";

    @Test
    void ownSettingsBeatAlsoWhichBeatsDefault() throws Exception {
      Path main = write("ipsec.conf", BASE + "conn t\n\talso=net\n\trightsubnet=10.9.0.0/24\n\tauto=add\n");
      TunnelPlanner.Plan plan = discover(main);
      assertThat(SeedFixturesTest.tunnels(plan)).containsExactly("net net/net 192.168.1.1 -> 203.0.113.1", "t t/t 192.168.1.1 -> 10.9.0.1");
      assertThat(plan.tunnels().get(1).notes()).contains("auto=add: this gateway waits for the peer to bring the tunnel up");
    }

    @Test
    void aMisspeltAlsoSaysWhatWasMeant() throws Exception {
      Path main = write("ipsec.conf", BASE + "conn t\n\talso=nett\n\trightsubnet=10.9.0.0/24\n");
      assertThat(SeedFixturesTest.warnings(discover(main)))
          .containsExactly(
              "ipsec.conf:10: warning: conn t: no left= (nor from %default or also=); skipped",
              "ipsec.conf:11: warning: also=nett: no conn named nett (did you mean net?)");
    }

    @Test
    void aLoopOfAlsoIsCut() throws Exception {
      Path main = write("ipsec.conf", BASE + "conn x\n\talso=y\n\talso=net\n\nconn y\n\talso=x\n\trightsubnet=10.8.0.0/24\n");
      TunnelPlanner.Plan plan = discover(main);
      assertThat(SeedFixturesTest.tunnels(plan))
          .containsExactly("net net/net 192.168.1.1 -> 203.0.113.1", "x x/x 192.168.1.1 -> 10.8.0.1", "y y/y 192.168.1.1 -> 10.8.0.1");
      // One loop, one warning: x's expansion (with the loop cut) is remembered and serves y.
      assertThat(SeedFixturesTest.warnings(plan))
          .containsExactly("ipsec.conf:15: warning: also=x makes a loop (x -> y -> x); not followed");
    }

    @Test
    void aConnTheDaemonDoesNotLoadIsSkippedButATemplateQuietly() throws Exception {
      Path main = write("ipsec.conf", "conn tpl\n\tleft=%defaultroute\n\tauto=ignore\n\nconn off\n\talso=tpl\n\tright=203.0.113.1\n");
      assertThat(SeedFixturesTest.warnings(discover(main)))
          .containsExactly("ipsec.conf:5: warning: conn off: auto=ignore: the daemon does not load this conn; skipped");
    }
  }

  @Nested
  class Syntax {

    @Test
    void quotesCommentsAndSeveralSettingsOnALine() throws Exception {
      Path main =
          write(
              "ipsec.conf",
              "config setup\n\tinterfaces=\"ipsec0=eth0 # not a comment\" # a comment\n\nconn t # the tunnel\n"
                  + "\tleft=%defaultroute leftsubnet=192.168.1.0/24\n\tright=203.0.113.1 rightsubnet=10.0.0.0/8 auto=start\n");
      TunnelPlanner.Plan plan = discover(main);
      assertThat(SeedFixturesTest.tunnels(plan)).containsExactly("t t/t 192.168.1.1 -> 10.0.0.1");
      assertThat(SeedFixturesTest.warnings(plan)).isEmpty();
    }

    @Test
    void mistakesAreWarningsWithTheirLines() throws Exception {
      Path main =
          write(
              "ipsec.conf",
              "version 2.0\nconfig setp\nconn t\n\tleft=%defaultroute\nleftsubnet=192.168.1.0/24\n\tleft=%any\n\tright = 203.0.113.1\n"
                  + "\tright=203.0.113.1\n\trightsubnet=10.0.0.0/8,bogus\n\tauto=start\n\tunknownkeyword=whatever\n\tdpdaction=%hlod\n");
      assertThat(SeedFixturesTest.warnings(discover(main)))
          .containsExactly(
              "ipsec.conf:2: warning: expected \"config setup\", found \"config setp\"",
              "ipsec.conf:5: warning: setting at the start of the line (settings must be indented); read as part of conn t",
              "ipsec.conf:6: warning: left is set twice in conn t (first at line 4); the first value is used",
              "ipsec.conf:7: warning: \"right = 203.0.113.1\" is not keyword=value; ignored",
              "ipsec.conf:9: warning: rightsubnet=10.0.0.0/8,bogus: \"bogus\" is not a subnet; ignored",
              "ipsec.conf:12: warning: dpdaction=%hlod: unknown magic value %hlod (did you mean %hold?); the daemon will not read it as %hold");
    }
  }
}
