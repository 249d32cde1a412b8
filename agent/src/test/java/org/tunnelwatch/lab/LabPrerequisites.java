package org.tunnelwatch.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tunnelwatch.Prerequisites;

/**
 * What the lab tests need: root, and strongSwan with the userspace data plane, iproute2,
 * nftables, ping and curl from Debian.
 */
final class LabPrerequisites {

  private static final List<String> PROGRAMS =
      List.of(
          "/usr/lib/ipsec/charon", "/usr/sbin/swanctl", "/usr/sbin/ip", "/usr/sbin/nft", "/usr/bin/ping",
          "/usr/bin/curl", "/usr/bin/unshare");

  private LabPrerequisites() {}

  static void require() {
    List<String> missing = new ArrayList<>();
    if (!Prerequisites.isRoot()) {
      missing.add("root (network namespaces and charon)");
    }
    for (String program : PROGRAMS) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program);
      }
    }
    if (!Files.exists(Path.of("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"))) {
      missing.add("the kernel-libipsec plugin (Debian package libcharon-extra-plugins)");
    }
    Prerequisites.require(missing);
  }
}
