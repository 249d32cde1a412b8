package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS files that are not files, or far too large: refused by name, never read to the end. */
class PemFileBoundsTest {

  @TempDir Path dir;

  @Test
  void aCertificateThatIsALinkToDevZeroIsRefusedByName() throws Exception {
    Path cert = Files.createSymbolicLink(dir.resolve("cert.pem"), Path.of("/dev/zero"));

    assertThatThrownBy(() -> PemFiles.certificates(cert))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage(cert + ": not a regular file (a character device), not read");
  }

  @Test
  @Timeout(10) // reading a FIFO waits for a writer forever
  void aKeyThatIsAFifoIsRefusedByName() throws Exception {
    Path key = dir.resolve("key.pem");
    new ProcessBuilder("mkfifo", key.toString()).start().waitFor();

    assertThatThrownBy(() -> PemFiles.privateKey(key)).hasMessage(key + ": not a regular file (a FIFO), not read");
  }

  @Test
  void aHugeCertificateFileIsRefusedByName() throws Exception {
    Path cert = Files.write(dir.resolve("cert.pem"), new byte[(1 << 20) + 1]);

    assertThatThrownBy(() -> PemFiles.certificates(cert)).hasMessage(cert + ": larger than 1 MiB, not read");
  }
}
