package org.tunnelwatch.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real files of every kind a path can name, on the real file system. */
class BoundedFilesTest {

  @TempDir Path dir;

  @Test
  void aRegularFileAndALinkToOneAreReadWhole() throws Exception {
    Path file = Files.writeString(dir.resolve("a.conf"), "x".repeat(100));
    Path link = Files.createSymbolicLink(dir.resolve("link.conf"), file);

    assertThat(BoundedFiles.read(file, 100)).hasSize(100);
    assertThat(BoundedFiles.read(link, 100)).hasSize(100);
  }

  @Test
  void aFileOneByteOverTheLimitIsRefusedNamingTheLimit() throws Exception {
    Path file = Files.write(dir.resolve("big"), new byte[(1 << 20) + 1]);

    assertThatThrownBy(() -> BoundedFiles.read(file, 1 << 20))
        .isInstanceOf(RefusedInputException.class)
        .hasMessage("larger than 1 MiB, not read");
  }

  @Test
  @Timeout(10) // opening a FIFO for reading waits for a writer
  void aFifoIsRefusedWithoutBeingOpened() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    assertThatThrownBy(() -> BoundedFiles.read(fifo, 100)).hasMessage("not a regular file (a FIFO), not read");
    assertThatThrownBy(() -> BoundedFiles.requireRegular(fifo)).hasMessage("not a regular file (a FIFO), not read");
  }

  @Test
  void aLinkToDevZeroIsRefusedAsTheDeviceItIs() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));

    assertThatThrownBy(() -> BoundedFiles.read(link, 100))
        .isInstanceOf(RefusedInputException.class)
        .hasMessage("not a regular file (a character device), not read");
  }

  @Test
  void aDirectoryIsRefused() {
    assertThatThrownBy(() -> BoundedFiles.read(dir, 100)).hasMessage("not a regular file (a directory), not read");
  }

  @Test
  void aProcFileThatClaimsSizeZeroIsStillCutAtTheLimit() {
    // procfs reports size 0 for files that hold far more: the read itself is bounded.
    assertThatThrownBy(() -> BoundedFiles.read(Path.of("/proc/self/maps"), 10))
        .isInstanceOf(RefusedInputException.class)
        .hasMessage("larger than 10 bytes, not read");
  }

  @Test
  void aMissingFileIsTheUsualNoSuchFile() {
    assertThatThrownBy(() -> BoundedFiles.read(dir.resolve("absent"), 100)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void limitsAreNamedInBinaryUnits() {
    assertThat(InputLimits.describe(4 << 20)).isEqualTo("4 MiB");
    assertThat(InputLimits.describe(512 << 10)).isEqualTo("512 KiB");
    assertThat(InputLimits.describe(100)).isEqualTo("100 bytes");
  }
}
