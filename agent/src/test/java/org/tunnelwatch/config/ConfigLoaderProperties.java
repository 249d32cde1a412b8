package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Fuzzing the loader with damaged copies of a valid file: every outcome is a configuration or
 * problems that each name a place, never another exception.
 */
class ConfigLoaderProperties {

  private static String example() throws IOException {
    try (InputStream in = ConfigLoaderProperties.class.getResourceAsStream("/config/valid/issue-example.yml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Property(tries = 3000)
  void damagedConfigurationsAreLoadedOrReportedCleanly(
      @ForAll @IntRange(min = 0, max = 2000) int at,
      @ForAll @IntRange(min = 0, max = 30) int cut,
      @ForAll @StringLength(max = 8) String inserted)
      throws IOException {
    String text = example();
    int from = Math.min(at, text.length());
    loadOrReportCleanly(text.substring(0, from) + inserted + text.substring(Math.min(text.length(), from + cut)));
  }

  @Property(tries = 1000)
  void arbitraryTextIsLoadedOrReportedCleanly(@ForAll @StringLength(max = 300) String text) {
    loadOrReportCleanly(text);
  }

  private static void loadOrReportCleanly(String text) {
    try {
      new ConfigLoader().parse("fuzz.yml", text);
    } catch (InvalidConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.problems()).allSatisfy(p -> {
        assertThat(p.toString()).startsWith("fuzz.yml");
        assertThat(p.message()).isNotBlank();
      });
    }
  }
}
