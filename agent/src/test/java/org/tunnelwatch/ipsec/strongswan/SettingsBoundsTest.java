package org.tunnelwatch.ipsec.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.tunnelwatch.ipsec.strongswan.StrongswanConfFixtures.path;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What keeps a broken or hostile strongswan.conf from making the reader hang or read without end. */
@Timeout(30)
class SettingsBoundsTest {

  @TempDir Path dir;

  @Test
  void anIncludeLoopIsAnErrorThatNamesTheLoop() {
    Path a = path("loop/a.conf");
    Path b = a.resolveSibling("b.conf");

    assertThatThrownBy(() -> StrongswanSettings.load(a))
        .isInstanceOf(StrongswanSettingsException.class)
        .hasMessage(b + ":3: include a.conf: include loop: " + a + " -> " + b + " -> " + a);
  }

  @Test
  void aFileThatIncludesItselfUnderAnotherNameIsALoopToo() throws IOException {
    Files.writeString(dir.resolve("self.conf"), "include link.conf\n");
    Files.createSymbolicLink(dir.resolve("link.conf"), dir.resolve("self.conf"));

    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("self.conf")))
        .hasMessageContaining("include loop: " + dir.resolve("self.conf") + " -> " + dir.resolve("link.conf"));
  }

  @Test
  void theSameFileTwiceOneAfterTheOtherIsNoLoop() throws Exception {
    Files.writeString(dir.resolve("x.conf"), "x = 1\n");
    Files.writeString(dir.resolve("main.conf"), "include x.conf\na {\n  include x.conf\n}\n");

    StrongswanSettings settings = StrongswanSettings.load(dir.resolve("main.conf"));

    assertThat(settings.get("a.x")).isPresent();
    assertThat(settings.get("x")).isPresent();
  }

  @Test
  void includesTenDeepAreReadAndElevenAreNot() throws Exception {
    chain(11); // 0.conf includes 1.conf ... includes 10.conf: ten includes deep
    assertThat(StrongswanSettings.load(dir.resolve("0.conf")).get("depth").orElseThrow().value()).isEqualTo("10");

    chain(12);
    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("0.conf")))
        .hasMessage(dir.resolve("10.conf") + ":2: include 11.conf: includes nested more than 10 deep, " + dir.resolve("11.conf") + " not read");
  }

  @Test
  void atMost256FilesAreRead() throws IOException {
    Path conf = Files.createDirectory(dir.resolve("conf.d"));
    for (int i = 0; i < 256; i++) {
      Files.writeString(conf.resolve(String.format("%03d.conf", i)), "n = " + i + "\n");
    }
    Files.writeString(dir.resolve("main.conf"), "include conf.d/*.conf\n");

    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("main.conf")))
        .hasMessage(
            dir.resolve("main.conf") + ":1: include conf.d/*.conf: " + conf.resolve("255.conf")
                + ": more than 256 files to read, the rest not read");
  }

  @Test
  void aFileOfMoreThanOneMebibyteIsNotRead() throws IOException {
    Files.writeString(dir.resolve("big.conf"), "# " + "x".repeat(1 << 20) + "\n");
    Files.writeString(dir.resolve("main.conf"), "a {\n  include big.conf\n}\n");

    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("main.conf")))
        .hasMessage(dir.resolve("main.conf") + ":2: include big.conf: " + dir.resolve("big.conf") + ": larger than 1 MiB, not read");
    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("big.conf")))
        .hasMessage(dir.resolve("big.conf") + ": larger than 1 MiB, not read");
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("fifo.conf");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeThat(mkfifo.waitFor()).as("mkfifo works here").isZero();
    Files.writeString(dir.resolve("main.conf"), "include *.conf\n");

    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("main.conf")))
        .hasMessage(dir.resolve("main.conf") + ":1: include *.conf: " + fifo + ": not a regular file (a FIFO), not read");
    assertThatThrownBy(() -> StrongswanSettings.load(fifo)).hasMessage(fifo + ": not a regular file (a FIFO), not read");
  }

  @Test
  void aLinkToDevZeroIsRefused() throws Exception {
    Path zero = Files.createSymbolicLink(dir.resolve("zero.conf"), Path.of("/dev/zero"));
    Files.writeString(dir.resolve("main.conf"), "include zero.conf\n");

    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("main.conf")))
        .hasMessage(dir.resolve("main.conf") + ":1: include zero.conf: " + zero + ": not a regular file (a character device), not read");
  }

  @Test
  void aMissingOrUnreadableTopLevelFileIsAnErrorWithoutAStackTrace() throws IOException {
    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("absent.conf")))
        .hasMessage(dir.resolve("absent.conf") + ": no such file");
    assertThatThrownBy(() -> StrongswanSettings.load(dir)).hasMessage(dir + ": is a directory");
  }

  @Test
  void aGlobOverTooManyPathsIsAnError() throws IOException {
    Path many = Files.createDirectory(dir.resolve("many"));
    for (int i = 0; i <= Glob.MAX_PATHS; i++) {
      Files.createFile(many.resolve("f" + i));
    }
    Files.writeString(dir.resolve("main.conf"), "include many/*\n");

    assertThatThrownBy(() -> StrongswanSettings.load(dir.resolve("main.conf")))
        .hasMessage(dir.resolve("main.conf") + ":1: include many/*: matches more than 4096 paths");
  }

  @Test
  void loadingTheLargestAllowedInputTakesLittleTime() throws IOException {
    // 256 files of nearly 1 MiB of settings each would be 256 MiB; one such file must be quick.
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (text.length() < (1 << 20) - 64) {
      text.append("s").append(i % 1000).append(" {\n  k").append(i++).append(" = v\n}\n");
    }
    Files.writeString(dir.resolve("large.conf"), text);

    long start = System.nanoTime();
    assertThat(catchLoad(dir.resolve("large.conf"))).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  private void chain(int files) throws IOException {
    for (int i = 0; i < files; i++) {
      String next = i + 1 < files ? "include " + (i + 1) + ".conf\n" : "";
      Files.writeString(dir.resolve(i + ".conf"), "depth = " + i + "\n" + next);
    }
  }

  private static String catchLoad(Path file) {
    try {
      StrongswanSettings.load(file);
      return null;
    } catch (StrongswanSettingsException e) {
      return e.getMessage();
    }
  }
}
