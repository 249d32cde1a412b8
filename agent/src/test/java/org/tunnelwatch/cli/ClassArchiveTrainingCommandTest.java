package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The training run that the package records its class-data sharing archive from: a real agent
 * on loopback, started and stopped in this JVM; and a command the operator never meets.
 */
class ClassArchiveTrainingCommandTest {

  private static int execute(StringWriter out, StringWriter err, String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void startsAndStopsTheAgentOnLoopbackAndSucceeds() {
    StringWriter err = new StringWriter();
    assertThat(execute(new StringWriter(), err, "class-archive-training")).as(err.toString()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void itsConfigurationStaysOnLoopbackAndActsOnNothing() {
    String yaml = ClassArchiveTrainingCommand.configuration(Path.of("/tmp/state"), 19999);
    assertThat(yaml).contains("listen: \"127.0.0.1:19999\"", "dry-run: true", "swanctl: /bin/true", "source: 127.0.0.1", "targets: [127.0.0.1]");
  }

  @Test
  void isHiddenFromTheHelp() {
    StringWriter out = new StringWriter();
    execute(out, new StringWriter(), "--help");
    assertThat(out.toString()).contains("check-config").doesNotContain("class-archive-training");
  }
}
