package org.tunnelwatch;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For tests that need root or Debian packages: without them the test is skipped with a visible
 * reason, but under {@code CI=true} it fails, so that CI can never pass by skipping.
 */
public final class Prerequisites {

  private Prerequisites() {}

  /** Skips (or, in CI, fails) unless every item is available; {@code missing} names the rest. */
  public static void require(List<String> missing) {
    if (missing.isEmpty()) {
      return;
    }
    String reason = "this test needs " + String.join(", ", missing);
    if ("true".equals(System.getenv("CI"))) {
      fail(reason + " (CI=true: failing instead of skipping; .ci/run must provide it)");
    }
    assumeTrue(false, reason);
  }

  public static void requireRoot(String why) {
    require(isRoot() ? List.of() : List.of("root (" + why + ")"));
  }

  public static boolean isRoot() {
    try {
      return Files.readString(Path.of("/proc/self/status")).lines()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }
}
