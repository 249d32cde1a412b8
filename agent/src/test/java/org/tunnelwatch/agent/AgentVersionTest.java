package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentVersionTest {

  @Test
  void printsTheExportersLayout() {
    Properties stamped = new Properties();
    stamped.setProperty("version", "0.3.1");
    stamped.setProperty("revision", "78fe98b79767");
    stamped.setProperty("branch", "main");
    stamped.setProperty("build.user", "builder");
    stamped.setProperty("build.date", "20261203-02:21:26");

    String[] lines = AgentVersion.of(stamped, "17.0.13").lines();

    assertThat(lines[0]).isEqualTo("tunnelwatch, version 0.3.1 (branch: main, revision: 78fe98b79767)");
    assertThat(lines).contains(
        "  build user:       builder", "  build date:       20261203-02:21:26", "  java version:     17.0.13");
  }

  @Test
  void whatTheBuildCouldNotTellIsUnknown() {
    Properties outsideGit = new Properties();
    outsideGit.setProperty("version", "0.3.1");
    outsideGit.setProperty("revision", "");
    outsideGit.setProperty("branch", "${git.branch}");

    AgentVersion version = AgentVersion.of(outsideGit, "17.0.13");

    assertThat(version.revision()).isEqualTo("unknown");
    assertThat(version.branch()).isEqualTo("unknown");
    assertThat(version.buildDate()).isEqualTo("unknown");
  }

  @Test
  void thisBuildIsStampedWithItsRevision() {
    // The build filters version.properties; under Maven in a git checkout git answers.
    AgentVersion version = AgentVersion.get();

    assertThat(version.version()).isNotEqualTo("unknown");
    assertThat(version.buildDate()).matches("\\d{8}-\\d{2}:\\d{2}:\\d{2}");
    assertThat(version.javaVersion()).isEqualTo(System.getProperty("java.version"));
  }
}
