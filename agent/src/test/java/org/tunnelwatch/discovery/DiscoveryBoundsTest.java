package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.input.InputLimits;

/**
 * ipsec.conf trees built to explode, on the real file system: includes that include each other,
 * {@code also=} diamonds, trees past every bound of {@link InputLimits}, FIFOs and devices. Each
 * ends in a result or a one-line error naming the place, never a hang or an OutOfMemoryError.
 * The timeouts only keep a regression from stalling the suite: the unfixed code takes hours.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryBoundsTest {

  @TempDir Path dir;

  private final FixedInterfaces gateway = new FixedInterfaces().with("eth1", "192.168.1.1/24");

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private IpsecConfReader.Result read(Path file) throws DiscoveryException {
    return new IpsecConfReader().read(file, file.getFileName().toString());
  }

  private ConnectionSource.Found discover(Path file) throws DiscoveryException {
    return new IpsecConfSource(file, file.getFileName().toString(), gateway, Optional.empty()).read();
  }

  private static String conn(String name, String extra) {
    return "conn " + name + "\n\tleft=%defaultroute\n\tleftsubnet=192.168.1.0/24\n\tright=203.0.113.1\n\tauto=start\n" + extra;
  }

  @Nested
  class Includes {

    @Test
    void tenFilesThatEachIncludeStarConfAreEachReadOnce() throws Exception {
      for (int i = 0; i < 10; i++) {
        write("c" + i + ".conf", "include *.conf\n" + conn("t" + i, ""));
      }

      IpsecConfReader.Result result = read(dir.resolve("c0.conf"));

      assertThat(result.sections()).extracting(ConfSection::name)
          .containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
      // One warning per include statement (c9's is the depth limit), none per file.
      assertThat(result.diagnostics()).hasSize(10).extracting(Diagnostic::toString)
          .contains("c0.conf:1: warning: include *.conf: 9 file(s) read before, not read again: c0.conf, c2.conf, c3.conf, c4.conf, c5.conf, ...")
          .noneMatch(d -> d.contains("defined twice"));
    }

    @Test
    void aFileIncludedFromTwoPlacesIsReadOnceAndItsConnsAreNotDefinedTwice() throws Exception {
      write("shared.conf", conn("shared", ""));
      write("a.conf", "include shared.conf\n");
      Path main = write("ipsec.conf", "include a.conf\ninclude shared.conf\n");

      assertThat(discover(main).connections()).extracting(ConnectionDescription::name).containsExactly("shared");
      assertThat(discover(main).diagnostics()).extracting(Diagnostic::toString)
          .containsExactly("ipsec.conf:2: warning: include shared.conf: 1 file(s) read before, not read again: shared.conf");
    }

    @Test
    void moreFilesThanTheLimitIsAnErrorNamingTheFile() throws Exception {
      for (int i = 0; i < InputLimits.IPSEC_CONF_FILES; i++) {
        write(String.format("d/%03d.conf", i), "");
      }
      Path main = write("ipsec.conf", "include d/*.conf\n");

      assertThatThrownBy(() -> read(main))
          .isInstanceOf(DiscoveryException.class)
          .hasMessage(dir.resolve("d/255.conf") + ": more than 256 files to read; not read");
    }

    @Test
    void moreBytesInAllThanTheLimitIsAnError() throws Exception {
      String filler = ("# " + "x".repeat(1000) + "\n").repeat(1000); // just under 1 MiB
      for (int i = 0; i < 5; i++) {
        write("big" + i + ".conf", filler);
      }
      Path main = write("ipsec.conf", "include big*.conf\n");

      assertThatThrownBy(() -> read(main))
          .isInstanceOf(DiscoveryException.class)
          .hasMessage(dir.resolve("big4.conf") + ": the files read so far hold more than 4 MiB; not read");
    }

    @Test
    void aFifoAmongTheIncludesIsRefusedWithoutWaitingForAWriter() throws Exception {
      assertThat(new ProcessBuilder("mkfifo", dir.resolve("pipe.conf").toString()).start().waitFor()).isZero();
      Path main = write("ipsec.conf", "include pipe.conf\n" + conn("t", ""));

      assertThat(discover(main).diagnostics()).extracting(Diagnostic::toString)
          .containsExactly("ipsec.conf:1: warning: include " + dir.resolve("pipe.conf") + ": not a regular file (a FIFO), not read");
      assertThat(discover(main).connections()).hasSize(1);
    }

    @Test
    void aTopLevelLinkToDevZeroIsAnError() throws Exception {
      Path link = Files.createSymbolicLink(dir.resolve("ipsec.conf"), Path.of("/dev/zero"));

      assertThatThrownBy(() -> read(link)).hasMessage("ipsec.conf: not a regular file (a character device), not read");
    }
  }

  @Nested
  class AlsoDiamonds {

    /** d0 uses a1 and b1, each of which uses a2 and b2, and so on: 2^depth paths, 2*depth conns. */
    private String diamond(int depth) {
      StringBuilder text = new StringBuilder(conn("top", "\talso=\"a1 b1\"\n"));
      for (int i = 1; i < depth; i++) {
        text.append("conn a").append(i).append("\n\talso=\"a").append(i + 1).append(" b").append(i + 1).append("\"\n");
        text.append("conn b").append(i).append("\n\talso=\"a").append(i + 1).append(" b").append(i + 1).append("\"\n");
      }
      text.append("conn a").append(depth).append("\n\trightsubnet=10.1.0.0/16\n");
      text.append("conn b").append(depth).append("\n\tleftid=@deep\n");
      return text.toString();
    }

    @Test
    void fortyDeepResolveEachConnOnce() throws Exception {
      Path main = write("ipsec.conf", diamond(40));
      assertThat(Files.size(main)).isLessThan(2500);

      ConnectionSource.Found found = discover(main);

      ConnectionDescription top = found.connections().get(0);
      assertThat(top.name()).isEqualTo("top");
      assertThat(top.children().get(0).remoteTs()).containsExactly("10.1.0.0/16"); // from the bottom of the diamond
      assertThat(found.diagnostics()).isEmpty();
    }

    @Test
    void aLoopAtTheBottomOfADiamondIsCutWithoutLosingTheMemory() throws Exception {
      // The loop back to the top makes every expansion on the way depend on its entry; the
      // applied-settings bound still ends it.
      Path main = write("ipsec.conf", diamond(40).replace("\tleftid=@deep\n", "\tleftid=@deep\n\talso=a1\n"));

      assertThatThrownBy(() -> discover(main))
          .isInstanceOf(DiscoveryException.class)
          .hasMessageEndingWith("settings and also= references in all; not read")
          .hasMessageContaining("more than " + InputLimits.IPSEC_CONF_RESOLVED_SETTINGS);
    }

    @Test
    void aLoopThroughADiamondOfConnsWithoutSettingsIsBoundedToo() throws Exception {
      String text = diamond(40).replace("\trightsubnet=10.1.0.0/16\n", "\talso=a1\n").replace("\tleftid=@deep\n", "\talso=a1\n");
      Path main = write("ipsec.conf", text);

      assertThatThrownBy(() -> discover(main)).isInstanceOf(DiscoveryException.class).hasMessageContaining("also= references in all");
    }

    @Test
    void aDefaultOfManySettingsCopiedIntoManyConnsIsBounded() throws Exception {
      StringBuilder text = new StringBuilder("conn %default\n");
      for (int i = 0; i < 100; i++) {
        text.append("\tkey").append(i).append("=v\n");
      }
      for (int i = 0; i < 2_500; i++) {
        text.append("conn c").append(i).append("\n\tleft=%defaultroute\n");
      }
      Path main = write("ipsec.conf", text.toString());

      assertThatThrownBy(() -> discover(main))
          .isInstanceOf(DiscoveryException.class)
          .hasMessageMatching("ipsec\\.conf:\\d+: conn c\\d+: applying also= and %default takes more than 200000 settings and also= references in all; not read");
    }
  }

  @Nested
  class Counts {

    @Test
    void moreSectionsThanTheLimitIsAnErrorNamingTheLine() throws Exception {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i <= InputLimits.IPSEC_CONF_SECTIONS; i++) {
        text.append("conn c").append(i).append('\n');
      }
      Path main = write("ipsec.conf", text.toString());

      assertThatThrownBy(() -> read(main)).hasMessage("ipsec.conf:10001: more than 10000 sections; not read");
    }

    @Test
    void moreSettingsThanTheLimitIsAnErrorNamingTheLine() throws Exception {
      String line = "\t" + String.join(" ", java.util.Collections.nCopies(1_000, "a=b")) + "\n";
      Path main = write("ipsec.conf", "conn c\n" + line.repeat(51));

      assertThatThrownBy(() -> read(main)).hasMessage("ipsec.conf:52: more than 50000 settings; not read");
    }

    @Test
    void warningsBeyondTheLimitAreCountedNotKept() throws Exception {
      Path main = write("ipsec.conf", "nonsense\n".repeat(InputLimits.IPSEC_CONF_WARNINGS + 5));

      List<Diagnostic> diagnostics = read(main).diagnostics();

      assertThat(diagnostics).hasSize(InputLimits.IPSEC_CONF_WARNINGS + 1);
      assertThat(diagnostics.get(diagnostics.size() - 1).toString())
          .isEqualTo("ipsec.conf: warning: 5 more warning(s) not shown (at most 1000)");
    }

    @Test
    void aLongLineIsShownCutShort() throws Exception {
      Path main = write("ipsec.conf", "x".repeat(10_000) + "\n");

      assertThat(read(main).diagnostics()).extracting(Diagnostic::message)
          .containsExactly("\"" + "x".repeat(120) + "...\" is not a section, include or setting; ignored");
    }
  }
}
