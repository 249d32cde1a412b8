package org.tunnelwatch.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class SwanctlLivenessTest {

  private static final BiPredicate<String, String> NONE_WATCHED = (conn, child) -> false;

  static Path fixture(String name) throws Exception {
    return Path.of(SwanctlLivenessTest.class.getResource("/fixtures/liveness/" + name).toURI());
  }

  private static List<LivenessWarning> check(String name, BiPredicate<String, String> watched) throws Exception {
    return SwanctlLiveness.check(fixture(name), watched);
  }

  @Test
  void eachRuleIsFoundWhereItIsBrokenWithItsLine() throws Exception {
    List<LivenessWarning> warnings = check("rules.swanctl.conf", (conn, child) -> conn.equals("watched-not-started"));

    assertThat(warnings)
        .extracting(LivenessWarning::rule, LivenessWarning::connection, LivenessWarning::line)
        .containsExactlyInAnyOrder(
            tuple(LivenessRule.NO_DPD, "responder-without-dpd", 3),
            tuple(LivenessRule.TWO_REPAIRERS, "restarts-by-itself/net", 17),
            tuple(LivenessRule.TWO_REPAIRERS, "restarts-by-itself/net", 18),
            tuple(LivenessRule.KEYINGTRIES, "gives-up", 24),
            tuple(LivenessRule.KEYINGTRIES, "gives-up-by-default", 31),
            tuple(LivenessRule.NOT_STARTED, "watched-not-started/net", 44),
            tuple(LivenessRule.UNIQUE_REPLACES, "replaces-a", 51),
            tuple(LivenessRule.UNIQUE_REPLACES, "replaces-b", 64));
    assertThat(warnings).allSatisfy(w -> assertThat(w.file()).endsWith("rules.swanctl.conf"));
  }

  @Test
  void aMissingSettingIsReportedAtItsConnectionWithTheDefaultNamed() throws Exception {
    LivenessWarning byDefault =
        check("rules.swanctl.conf", NONE_WATCHED).stream().filter(w -> w.connection().equals("gives-up-by-default")).findFirst().orElseThrow();

    assertThat(byDefault.toString())
        .endsWith(
            "rules.swanctl.conf:31: warning: gives-up-by-default: keyingtries = 1 (the default) on an initiator: charon gives up"
                + " after that many attempts and the tunnel stays down until something initiates it again; set keyingtries = 0"
                + " (forever) [keyingtries]");
  }

  @Test
  void startActionsAreJudgedOnlyForTheTunnelsTheAgentWatches() throws Exception {
    assertThat(check("rules.swanctl.conf", NONE_WATCHED)).extracting(LivenessWarning::rule).doesNotContain(LivenessRule.NOT_STARTED);
  }

  @Test
  void aConfigurationWithEverySettingTheLintAsksForHasNoWarning() throws Exception {
    assertThat(check("clean.swanctl.conf", (conn, child) -> conn.equals("sat"))).isEmpty();
  }

  @Test
  void theLabsSatelliteGivesUpAfterOneTryAndItsHubHasNoDpd() throws Exception {
    assertThat(check("lab-sat.swanctl.conf", (conn, child) -> true))
        .extracting(LivenessWarning::rule, LivenessWarning::connection, LivenessWarning::line)
        .containsExactly(tuple(LivenessRule.KEYINGTRIES, "sg1-sgcentral", 3));
    assertThat(check("lab-hub.swanctl.conf", NONE_WATCHED))
        .extracting(LivenessWarning::rule, LivenessWarning::connection, LivenessWarning::line)
        .containsExactly(tuple(LivenessRule.NO_DPD, "sgcentral-sg1", 3));
  }

  @Test
  void aCloudTemplatesDpdRestartIsASecondRepairer() throws Exception {
    assertThat(check("cloud-sat.swanctl.conf", NONE_WATCHED))
        .extracting(LivenessWarning::rule, LivenessWarning::line)
        .containsExactly(tuple(LivenessRule.KEYINGTRIES, 3), tuple(LivenessRule.TWO_REPAIRERS, 21));
  }

  @Test
  void makeBeforeBreakOffOrUnsetIsAWarningOnIsNot() throws Exception {
    assertThat(SwanctlLiveness.makeBeforeBreak(fixture("mbb-yes.strongswan.conf"))).isEmpty();
    assertThat(SwanctlLiveness.makeBeforeBreak(fixture("mbb-no.strongswan.conf")))
        .get()
        .extracting(LivenessWarning::rule, LivenessWarning::line)
        .containsExactly(LivenessRule.BREAK_BEFORE_MAKE, 3);
    assertThat(SwanctlLiveness.makeBeforeBreak(fixture("mbb-unset.strongswan.conf")))
        .get()
        .satisfies(w -> assertThat(w.line()).isZero())
        .satisfies(w -> assertThat(w.message()).startsWith("make_before_break is not set"));
  }
}
