package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackendConfigTest {

  private static BackendConfig config(String type, String uri) {
    return new BackendConfig(ConfigWord.find(BackendType.class, type).orElseThrow(), Path.of("/usr/sbin/swanctl"), uri, "true", Duration.ofSeconds(10));
  }

  @Test
  void autoPicksViciWhenTheSocketExists() {
    assertThat(config("auto", "unix:///run/charon.vici").effectiveType(p -> p.equals(Path.of("/run/charon.vici"))))
        .isEqualTo(BackendType.VICI);
  }

  @Test
  void autoPicksSwanctlWhenTheSocketIsMissing() {
    assertThat(config("auto", "unix:///run/charon.vici").effectiveType(p -> false)).isEqualTo(BackendType.SWANCTL);
  }

  @Test
  void autoPicksSwanctlForATcpUri() {
    assertThat(config("auto", "tcp://127.0.0.1:4502").effectiveType(p -> true)).isEqualTo(BackendType.SWANCTL);
  }

  @Test
  void aNamedTypeIsKeptWhateverExists() {
    assertThat(config("vici", "unix:///run/charon.vici").effectiveType(p -> false)).isEqualTo(BackendType.VICI);
    assertThat(config("swanctl", "unix:///run/charon.vici").effectiveType(p -> true)).isEqualTo(BackendType.SWANCTL);
  }
}
