package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.ShippedHeap;

/**
 * {@code tunnelwatch discover} on hostile ipsec.conf trees, run as the package runs it (a child
 * JVM with the shipped 24 MB heap): it finishes with its answer, and a secret never reaches its
 * output.
 */
class DiscoverHostileTreesTest {

  private static final String PSK = "correct-horse-battery-staple";

  @TempDir Path dir;

  @Test
  void tenFilesThatEachIncludeStarConfFitTheShippedHeap() throws Exception {
    for (int i = 0; i < 10; i++) {
      Files.writeString(
          dir.resolve("c" + i + ".conf"),
          "include *.conf\nconn t" + i + "\n\tleft=192.0.2.1\n\tright=203.0.113." + (i + 1) + "\n\tauto=start\n");
    }

    ShippedHeap.Outcome run =
        ShippedHeap.run(dir.resolve("out.log"), "discover", "--ipsec-conf", dir.resolve("c0.conf").toString(), "--local", "left");

    assertThat(run.output()).doesNotContain("OutOfMemoryError");
    assertThat(run.exitCode()).as(run.output()).isZero();
    for (int i = 0; i < 10; i++) {
      assertThat(run.output()).contains("- name: \"t" + i + "\"\n");
    }
  }

  @Test
  void aMegabyteOfOneCharacterLinesFitsTheShippedHeap() throws Exception {
    // Read all at once, this was half a million strings; each line is a warning too (capped).
    Path conf = Files.writeString(dir.resolve("ipsec.conf"), "x\n".repeat((1 << 20) / 2 - 1));

    ShippedHeap.Outcome run = ShippedHeap.run(dir.resolve("out.log"), "discover", "--ipsec-conf", conf.toString());

    assertThat(run.output()).doesNotContain("OutOfMemoryError").contains("more warning(s) not shown (at most 1000)");
  }

  @Test
  void aSecretsFileReachedThroughALinkNeverReachesTheOutput() throws Exception {
    Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), ": PSK \"" + PSK + "\"\n");
    Files.createSymbolicLink(dir.resolve("site.conf"), secrets);
    Files.writeString(dir.resolve("notes.conf"), "# copied from the secrets file\n: PSK \"" + PSK + "\"\n");
    Path main = Files.writeString(dir.resolve("ipsec.conf"), "include site.conf\ninclude notes.conf\n");

    ShippedHeap.Outcome direct = ShippedHeap.run(dir.resolve("direct.log"), "discover", "--ipsec-conf", secrets.toString());
    ShippedHeap.Outcome included = ShippedHeap.run(dir.resolve("included.log"), "discover", "--ipsec-conf", main.toString());

    assertThat(direct.output()).contains("a secrets file; not read").doesNotContain(PSK);
    assertThat(included.output()).contains("a secrets file (a link to " + secrets + "); not read").doesNotContain(PSK);
  }
}
