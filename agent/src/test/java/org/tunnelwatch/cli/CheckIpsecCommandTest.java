package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckIpsecCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static String fixture(String name) throws Exception {
    return Path.of(CheckIpsecCommandTest.class.getResource("/fixtures/liveness/" + name).toURI()).toString();
  }

  private int checkIpsec(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "check-ipsec";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  private String absent() {
    return dir.resolve("absent").toString();
  }

  @Test
  void exitsZeroAndPrintsNothingWithoutWarnings() throws Exception {
    int exit =
        checkIpsec(
            "--swanctl-conf", fixture("clean.swanctl.conf"), "--strongswan-conf", fixture("mbb-yes.strongswan.conf"),
            "--ipsec-conf", emptyIpsecConf());

    assertThat(err.toString()).isEmpty();
    assertThat(out.toString()).isEmpty();
    assertThat(exit).isZero();
  }

  private String emptyIpsecConf() throws Exception {
    Path conf = dir.resolve("ipsec.conf");
    Files.writeString(conf, "config setup\n\tuniqueids=no\n");
    return conf.toString();
  }

  @Test
  void exitsOneWithOneLinePerWarningInFileOrder() throws Exception {
    Path tunnelwatch = dir.resolve("tunnelwatch.yml");
    Files.writeString(
        tunnelwatch,
        """
        tunnels:
          - name: w
            ike: watched-not-started
            child: net
            source: 192.0.2.1
            targets: [203.0.113.1]
        """);

    int exit =
        checkIpsec(
            "--swanctl-conf", fixture("rules.swanctl.conf"), "--strongswan-conf", fixture("mbb-no.strongswan.conf"),
            "--ipsec-conf", emptyIpsecConf(), "--config", tunnelwatch.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString().lines().map(l -> l.replaceAll("^[^:]*/([^/:]+:\\d+): warning: .*\\[", "$1 [")))
        .containsExactly(
            "mbb-no.strongswan.conf:3 [break-before-make]",
            "rules.swanctl.conf:3 [no-dpd]",
            "rules.swanctl.conf:17 [two-repairers]",
            "rules.swanctl.conf:18 [two-repairers]",
            "rules.swanctl.conf:24 [keyingtries]",
            "rules.swanctl.conf:31 [keyingtries]",
            "rules.swanctl.conf:44 [not-started]",
            "rules.swanctl.conf:51 [unique-replaces]",
            "rules.swanctl.conf:64 [unique-replaces]");
  }

  @Test
  void jsonGivesFileLineRuleConnectionAndMessage() throws Exception {
    int exit =
        checkIpsec(
            "--swanctl-conf", fixture("cloud-sat.swanctl.conf"), "--strongswan-conf", fixture("mbb-yes.strongswan.conf"),
            "--ipsec-conf", emptyIpsecConf(), "--format", "json");

    assertThat(exit).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json).hasSize(2);
    assertThat(json.get(1).get("file").asText()).endsWith("cloud-sat.swanctl.conf");
    assertThat(json.get(1).get("line").asInt()).isEqualTo(21);
    assertThat(json.get(1).get("rule").asText()).isEqualTo("two-repairers");
    assertThat(json.get(1).get("connection").asText()).isEqualTo("vpc-office/vpc-office");
    assertThat(json.get(1).get("message").asText()).startsWith("dpd_action = restart: charon re-initiates by itself");
  }

  @Test
  void aNamedFileThatIsMissingIsAnErrorWithoutAStackTrace() {
    int exit = checkIpsec("--swanctl-conf", absent());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("tunnelwatch check-ipsec: " + absent() + ": no such file" + System.lineSeparator());
  }

  @Test
  void aBrokenSwanctlConfIsAnErrorNamingIt() throws Exception {
    Path broken = dir.resolve("swanctl.conf");
    Files.writeString(broken, "connections {\n  hq {\n");

    int exit = checkIpsec("--swanctl-conf", broken.toString(), "--ipsec-conf", emptyIpsecConf());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("tunnelwatch check-ipsec: ").contains(broken.toString()).doesNotContain("Exception");
  }
}
