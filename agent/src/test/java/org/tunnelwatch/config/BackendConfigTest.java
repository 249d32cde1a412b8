package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackendConfigTest {

  private static BackendConfig config(String type, String uri) {
    return new BackendConfig(type, Path.of("/usr/sbin/swanctl"), uri, "true", Duration.ofSeconds(10));
  }

  @Test
  void autoPicksViciWhenTheSocketExists() {
    assertThat(config("auto", "unix:///run/charon.vici").effectiveType(p -> p.equals(Path.of("/run/charon.vici"))))
        .isEqualTo("vici");
  }

  @Test
  void autoPicksSwanctlWhenTheSocketIsMissing() {
    assertThat(config("auto", "unix:///run/charon.vici").effectiveType(p -> false)).isEqualTo("swanctl");
  }

  @Test
  void autoPicksSwanctlForATcpUri() {
    assertThat(config("auto", "tcp://127.0.0.1:4502").effectiveType(p -> true)).isEqualTo("swanctl");
  }

  @Test
  void aNamedTypeIsKeptWhateverExists() {
    assertThat(config("vici", "unix:///run/charon.vici").effectiveType(p -> false)).isEqualTo("vici");
    assertThat(config("swanctl", "unix:///run/charon.vici").effectiveType(p -> true)).isEqualTo("swanctl");
  }
}
