package org.tunnelwatch.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the rule of {@link InputLimits}: the agent's sources read files, HTTP bodies and process
 * output only through the bounded readers of this package. The JDK calls that read to the end
 * (or block on a FIFO) appear nowhere else, except where the kernel bounds what is read; each such
 * place is listed here with its reason. A new one fails this test: use {@link BoundedFiles} or
 * {@link BoundedBody}, or add it below with a reason a reviewer can check.
 */
class EveryReadIsBoundedTest {

  private static final Pattern UNBOUNDED =
      Pattern.compile(
          "Files\\.(readAllBytes|readString|readAllLines|lines|newBufferedReader|newInputStream)\\("
              + "|\\.readAllBytes\\(\\)|\\.transferTo\\(|BodyHandlers\\.of|new FileInputStream\\(|new FileReader\\(");

  /** File (under org/tunnelwatch/) -> why its unbounded read is safe. */
  private static final Map<String, String> ALLOWED =
      Map.of(
          "input/BoundedFiles.java", "the bounded reader itself (readNBytes of the limit plus one)",
          "probe/LinkStateReader.java", "sysfs attributes (operstate, flags): the kernel bounds them to a page",
          "discovery/SystemInterfaces.java", "/proc/net/route: written by the kernel",
          "telemetry/alerts/AlertSender.java", "/proc/sys/kernel/hostname: at most 64 bytes, from the kernel",
          "probe/icmp/IcmpSockets.java", "/proc/sys/net/ipv4/ping_group_range, read with readNBytes(64)",
          "telemetry/ProcessFamilies.java", "/proc/self/status, written by the kernel, read with readNBytes(16384)");

  @Test
  void noSourceReadsUnboundedOutsideTheListedPlaces() throws IOException {
    Path root = Path.of(System.getProperty("basedir", "."), "src/main/java/org/tunnelwatch");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String name = root.relativize(file).toString();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          Matcher m = UNBOUNDED.matcher(line);
          if (m.find() && !line.startsWith("*") && !line.startsWith("//") && !ALLOWED.containsKey(name)) {
            found.add(name + ":" + (i + 1) + ": " + line);
          }
        }
      }
    }
    assertThat(found).as("unbounded reads; see this test's comment").isEmpty();
  }

  @Test
  void everyListedPlaceStillExists() {
    Path root = Path.of(System.getProperty("basedir", "."), "src/main/java/org/tunnelwatch");
    assertThat(ALLOWED.keySet()).allSatisfy(name -> assertThat(root.resolve(name)).exists());
  }
}
