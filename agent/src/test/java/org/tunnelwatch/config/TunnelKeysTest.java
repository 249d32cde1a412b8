package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.remedy.RemedyAction;

class TunnelKeysTest {

  /** {@code maxActionsPerHour} is written {@code max-actions-per-hour}. */
  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void everySettingOfATunnelIsSetByExactlyOneKeyOfTheSameName() {
    Set<String> components =
        Arrays.stream(TunnelSettings.class.getRecordComponents())
            .map(c -> kebab(c.getName()))
            .collect(Collectors.toSet());
    Set<String> settingKeys =
        TunnelKeys.ALL.stream().filter(k -> k.setting().isPresent()).map(TunnelKey::name).collect(Collectors.toSet());

    assertThat(settingKeys).isEqualTo(components);
    assertThat(TunnelKeys.ALL.stream().map(TunnelKey::name).distinct()).hasSameSizeAs(TunnelKeys.ALL);
  }

  @Test
  void aSettingKeySetsItsOwnFieldAndNoOther() {
    TunnelSettings.Builder builder = TunnelSettings.builder();
    TunnelKeys.SETTLE.applyTo(builder, Duration.ofSeconds(42));
    TunnelKeys.LADDER.applyTo(builder, java.util.List.of(RemedyAction.RESTART_IKE));

    assertThat(builder.build())
        .isEqualTo(TunnelSettings.DEFAULTS.toBuilder().settle(Duration.ofSeconds(42)).ladder(RemedyAction.RESTART_IKE).build());
  }

  @Test
  void theKeysThatSayWhichTunnelItIsSetNoSetting() {
    TunnelSettings.Builder builder = TunnelSettings.builder();
    TunnelKeys.CHILD.applyTo(builder, "net");

    assertThat(builder.build()).isEqualTo(TunnelSettings.DEFAULTS);
  }

  @Test
  void theBuilderStartsFromTheBuiltInDefaults() {
    assertThat(TunnelSettings.builder().build()).isEqualTo(TunnelSettings.DEFAULTS);
    assertThat(TunnelSettings.DEFAULTS.toBuilder().count(7).build().count()).isEqualTo(7);
  }
}
