package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tunnelwatch.lint.LivenessRule;
import org.tunnelwatch.lint.LivenessWarning;

class IpsecConfLivenessTest {

  private static Path fixture(String path) throws Exception {
    return Path.of(IpsecConfLivenessTest.class.getResource("/fixtures/" + path).toURI());
  }

  @Test
  void eachRuleIsFoundWhereItIsBrokenWithAlsoAndDefaultsApplied() throws Exception {
    List<LivenessWarning> warnings =
        IpsecConfLiveness.check(fixture("liveness/rules.ipsec.conf"), conn -> conn.equals("watched-added"));

    assertThat(warnings)
        .extracting(LivenessWarning::rule, LivenessWarning::connection, LivenessWarning::line)
        .containsExactlyInAnyOrder(
            tuple(LivenessRule.TWO_REPAIRERS, "conn restarts-by-itself", 12),
            tuple(LivenessRule.TWO_REPAIRERS, "conn restarts-by-itself", 13),
            tuple(LivenessRule.KEYINGTRIES, "conn gives-up", 19),
            tuple(LivenessRule.NOT_STARTED, "conn watched-added", 27),
            // uniqueids is not written: the default (yes) is reported at config setup.
            tuple(LivenessRule.UNIQUE_REPLACES, "conn site-a", 1),
            tuple(LivenessRule.UNIQUE_REPLACES, "conn site-b", 1));
  }

  /** The seed document's files: what the lint says of each gateway. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "seed-burri-hub-sg1.conf, ''",
    "seed-burri-hub-sgcentral.conf, 'no-dpd:21 no-dpd:28 no-dpd:35 no-dpd:42'",
    "seed-burri-s2s-left.conf, ''",
    "seed-burri-s2s-right.conf, 'no-dpd:20'",
    "seed-nadeau-roadwarrior-left.conf, 'keyingtries:9'",
    "seed-nadeau-roadwarrior-right.conf, 'no-dpd:11'",
  })
  void theSeedGateways(String file, String expected) throws Exception {
    List<String> found =
        IpsecConfLiveness.check(fixture("ipsec-conf/" + file), conn -> false).stream()
            .map(w -> w.rule().configName() + ":" + w.line())
            .toList();
    assertThat(String.join(" ", found)).isEqualTo(expected);
  }

  @Test
  void uniqueidsNoLetsConnsShareTheirIdentities() throws Exception {
    // The seed's hub gives sg2 and sg3 the leftid of sg1 (its own mistake) but says uniqueids=no.
    assertThat(IpsecConfLiveness.check(fixture("ipsec-conf/seed-burri-hub-sgcentral.conf"), conn -> false))
        .extracting(LivenessWarning::rule)
        .doesNotContain(LivenessRule.UNIQUE_REPLACES);
  }
}
