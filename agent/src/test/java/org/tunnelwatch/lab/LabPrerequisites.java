package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the lab tests need: root, and strongSwan with the userspace data plane, iproute2,
 * nftables, ping and curl from Debian. Without them a test is skipped with the reason; with
 * {@code CI=true} it fails instead, so that CI can never pass by skipping.
 */
final class LabPrerequisites {

  private static final List<String> PROGRAMS =
      List.of(
          "/usr/lib/ipsec/charon", "/usr/sbin/swanctl", "/usr/sbin/ip", "/usr/sbin/nft", "/usr/bin/ping",
          "/usr/bin/curl", "/usr/bin/unshare");

  private LabPrerequisites() {}

  static void require() {
    List<String> missing = new ArrayList<>();
    if (!isRoot()) {
      missing.add("root (network namespaces and charon)");
    }
    for (String program : PROGRAMS) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program);
      }
    }
    if (!Files.exists(Path.of("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"))) {
      missing.add("kernel-libipsec plugin (Debian package libcharon-extra-plugins)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String reason = "lab test needs " + String.join(", ", missing);
    if ("true".equals(System.getenv("CI"))) {
      fail(reason + " (CI=true: failing instead of skipping; .ci/run must install it)");
    }
    assumeTrue(false, reason);
  }

  private static boolean isRoot() {
    try {
      return Files.readString(Path.of("/proc/self/status")).lines()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
