package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * README's first command, {@code sudo lab/demo}, as a user runs it (with the jar this build made):
 * its own lab, a hub restart, and the agent's timeline. The demo once broke unnoticed when
 * {@code /metrics} became a streamed response (its readiness check piped the scrape into
 * {@code grep -q} under pipefail); nothing else runs the script.
 */
class DemoIT {

  @BeforeEach
  void requirePrerequisites() {
    LabPrerequisites.require();
  }

  @Test
  void theDemoShowsTheAgentRepairingTheTunnel() throws Exception {
    Path output = Files.createTempFile("tunnelwatch-demo", ".txt");
    ProcessBuilder demo =
        new ProcessBuilder(Lab.REPO.resolve("lab/demo").toString())
            .directory(Lab.REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    demo.environment().put("TW_DEMO_SKIP_BUILD", "1");
    demo.environment().put("TW_DEMO_KEEP", output.getParent().toString());
    Process process = demo.start();
    boolean ended = process.waitFor(6, TimeUnit.MINUTES);
    if (!ended) {
      process.destroy(); // the demo tears its lab down on SIGTERM
      process.waitFor(1, TimeUnit.MINUTES);
    }
    String text = Files.readString(output);
    System.out.println("---- lab/demo\n" + text);
    Files.deleteIfExists(output);
    assertThat(ended).as("the demo ended within 6 minutes").isTrue();
    assertThat(process.exitValue()).as("the demo's exit status").isZero();
    assertThat(text).contains("tunnel detected down", "action started", "traffic back", "agent reports up");
  }
}
