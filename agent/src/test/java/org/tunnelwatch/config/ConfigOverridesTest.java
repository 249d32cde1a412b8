package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --web.listen-address} and {@code --web.config.file} in place of the file's keys. */
class ConfigOverridesTest {

  @TempDir Path dir;

  private static final String FILE = "listen: \"127.0.0.1:9814\"\n";

  private AgentConfig load(String text, ConfigOverrides overrides) throws Exception {
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, text);
    return new ConfigLoader(TunnelDiscovery.unavailable(), overrides).load(file);
  }

  @Test
  void theListenFlagTakesThePlaceOfTheKey() throws Exception {
    AgentConfig config = load(FILE, new ConfigOverrides(Optional.of("[::1]:19814"), Optional.empty()));

    assertThat(config.listen()).isEqualTo(new ListenAddress("::1", 19814));
  }

  @Test
  void withoutFlagsTheFileDecides() throws Exception {
    assertThat(load(FILE, ConfigOverrides.NONE).listen()).isEqualTo(new ListenAddress("127.0.0.1", 9814));
  }

  @Test
  void aBadListenFlagIsAProblemNamingTheFlag() {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> load(FILE, new ConfigOverrides(Optional.of("9814"), Optional.empty())));

    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "--web.listen-address: must be host:port with an IP address (or nothing) before the colon and a port from 1"
                + " to 65535, found \"9814\"");
  }

  @Test
  void theWebConfigFlagTakesThePlaceOfTheKeyAndItsProblemsNameItsFile() throws Exception {
    Path inFile = dir.resolve("file-web.yml");
    Files.writeString(inFile, "basic_auth_users: {}\n");
    Path flagged = dir.resolve("flag-web.yml");
    Files.writeString(flagged, "basic_auth_users:\n  prometheus: not-a-hash\n");
    String text = "web-config: " + inFile + "\n";

    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> load(text, new ConfigOverrides(Optional.empty(), Optional.of(flagged))));

    assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.file()).isEqualTo(flagged.toString()));
    assertThat(load(text, ConfigOverrides.NONE).web().users()).as("the file's own web config, valid").isEmpty();
  }
}
