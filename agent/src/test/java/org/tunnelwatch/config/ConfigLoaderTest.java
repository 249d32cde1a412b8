package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.remedy.RemedyAction;

class ConfigLoaderTest {

  private static final String MINIMAL_TUNNEL =
      """
      tunnels:
        - name: t1
          child: net
          source: 192.168.1.1
          targets: [192.168.5.1]
      """;

  /** The built-in settings, spelled out: what a tunnel gets when nothing is written. */
  private static final TunnelSettings BUILT_IN =
      TunnelSettings.builder()
          .interval(Duration.ofSeconds(2))
          .count(3)
          .timeout(Duration.ofSeconds(1))
          .degradedLoss(0.1)
          .degradedRtt(Duration.ZERO)
          .downAfter(3)
          .upAfter(2)
          .window(Duration.ofMinutes(1))
          .ladder(RemedyAction.REINITIATE, RemedyAction.REAUTH_IKE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE)
          .settle(Duration.ofSeconds(15))
          .maxActionsPerHour(6)
          .build();

  /** The issue's example: the built-in settings with the ladder it names. */
  private static final TunnelSettings ISSUE_EXAMPLE =
      BUILT_IN.toBuilder().ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE).build();

  private final ConfigLoader loader = new ConfigLoader();

  @Nested
  class ValidConfigs {

    @Test
    void theIssueExampleResolvesToExactlyTheseRecords() throws Exception {
      AgentConfig config = loader.load(resource("config/valid/issue-example.yml"));

      assertThat(config)
          .isEqualTo(
              new AgentConfig(
                  new ListenAddress("0.0.0.0", 9814),
                  Path.of("/var/lib/tunnelwatch"),
                  false,
                  new BackendConfig(
                      BackendType.SWANCTL,
                      Path.of("/usr/sbin/swanctl"),
                      "unix:///var/run/charon.vici",
                      "systemctl restart strongswan",
                      Duration.ofSeconds(30)),
                  Map.of("wan", new UplinkConfig("wan", "ppp0")),
                  List.of(
                      new TunnelConfig(
                          "sg1-sgcentral",
                          "sg1-sgcentral",
                          "net",
                          ip("192.168.1.1"),
                          List.of(ip("192.168.5.1")),
                          Optional.of("wan"),
                          ISSUE_EXAMPLE)),
                  List.of(
                      new MaintenanceConfig(
                          "0 30 3 * * ?", RemedyAction.RESTART_SERVICE, Optional.empty())),
                  WebConfig.none(),
                  AlertingConfig.NONE,
                  ProbeEngine.AUTO));
    }

    @Test
    void aTunnelWithOnlyItsRequiredKeysGetsTheBuiltInDefaults() throws Exception {
      AgentConfig config = parse(MINIMAL_TUNNEL);

      assertThat(config.tunnels())
          .containsExactly(
              new TunnelConfig(
                  "t1",
                  "t1",
                  "net",
                  ip("192.168.1.1"),
                  List.of(ip("192.168.5.1")),
                  Optional.empty(),
                  BUILT_IN));
    }

    @Test
    void theBuiltInDefaultsAreTheDocumentedOnes() {
      assertThat(TunnelSettings.DEFAULTS).isEqualTo(BUILT_IN);
    }

    @Test
    void sectionsThatAreLeftOutGetTheirBuiltInDefaults() throws Exception {
      AgentConfig config = parse(MINIMAL_TUNNEL);

      assertThat(config.listen()).isEqualTo(new ListenAddress("0.0.0.0", 9814));
      assertThat(config.listen()).hasToString("0.0.0.0:9814");
      assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/tunnelwatch"));
      assertThat(config.dryRun()).isFalse();
      assertThat(config.backend())
          .isEqualTo(
              new BackendConfig(
                  BackendType.AUTO,
                  Path.of("/usr/sbin/swanctl"),
                  "unix:///var/run/charon.vici",
                  "systemctl restart strongswan",
                  Duration.ofSeconds(30)));
      assertThat(config.uplinks()).isEmpty();
      assertThat(config.maintenance()).isEmpty();
    }

    @Test
    void theAlertingSectionOfTheReadmeResolvesToThisRecord() throws Exception {
      AgentConfig config =
          parse(
              """
              alerting:
                alertmanagers: ["http://127.0.0.1:9093", "https://am.example.net/prefix"]
                webhooks: ["http://127.0.0.1:8080/hook"]
                resend-interval: 1m
                timeout: 5s
                gateway: sg1
              """
                  + MINIMAL_TUNNEL);

      assertThat(config.alerting())
          .isEqualTo(
              new AlertingConfig(
                  List.of(java.net.URI.create("http://127.0.0.1:9093"), java.net.URI.create("https://am.example.net/prefix")),
                  List.of(java.net.URI.create("http://127.0.0.1:8080/hook")),
                  Duration.ofMinutes(1),
                  Duration.ofSeconds(5),
                  Optional.of("sg1")));
      assertThat(config.alerting().enabled()).isTrue();
    }

    @Test
    void withoutAnAlertingSectionNothingIsSent() throws Exception {
      AgentConfig config = parse(MINIMAL_TUNNEL);

      assertThat(config.alerting()).isEqualTo(AlertingConfig.NONE);
      assertThat(config.alerting().enabled()).isFalse();
      assertThat(config.alerting().resendInterval()).isEqualTo(Duration.ofMinutes(1));
      assertThat(config.alerting().timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theProbeEngineIsAutoUnlessChosen() throws Exception {
      assertThat(parse(MINIMAL_TUNNEL).probeEngine()).isEqualTo(ProbeEngine.AUTO);
      assertThat(parse("probe-engine: raw\n" + MINIMAL_TUNNEL).probeEngine()).isEqualTo(ProbeEngine.RAW);
      assertThat(parse("probe-engine: ping-socket\n" + MINIMAL_TUNNEL).probeEngine()).isEqualTo(ProbeEngine.PING_SOCKET);
      assertThat(parse("probe-engine: ping\n" + MINIMAL_TUNNEL).probeEngine()).isEqualTo(ProbeEngine.PING);
    }

    @Test
    void ikeDefaultsToTheTunnelName() throws Exception {
      AgentConfig config =
          parse(
              """
              tunnels:
                - name: sg1-sgcentral
                  child: net
                  source: 192.168.1.1
                  targets: [192.168.5.1]
                - name: sg2-sgcentral
                  ike: sg2-ike
                  child: net
                  source: 192.168.1.1
                  targets: [192.168.6.1]
              """);

      assertThat(config.tunnels())
          .extracting(TunnelConfig::name, TunnelConfig::ike)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("sg1-sgcentral", "sg1-sgcentral"),
              org.assertj.core.groups.Tuple.tuple("sg2-sgcentral", "sg2-ike"));
    }

    @Test
    void everyTunnelKeyCanComeFromDefaults() throws Exception {
      AgentConfig config =
          parse(
              """
              uplinks:
                lte: { interface: wwan0 }
              defaults:
                ike: shared-ike
                child: lan
                source: "2001:db8:1::1"
                targets: ["2001:db8:2::1", "2001:db8:2::2"]
                uplink: lte
                interval: 5s
                count: 4
                timeout: 2s
                degraded-loss: 0.25
                degraded-rtt: 300ms
                down-after: 5
                up-after: 4
                window: 5m
                ladder: [restart-ike]
                settle: 30s
                max-actions-per-hour: 2
              tunnels:
                - name: t1
              """);

      assertThat(config.tunnels())
          .containsExactly(
              new TunnelConfig(
                  "t1",
                  "shared-ike",
                  "lan",
                  ip("2001:db8:1::1"),
                  List.of(ip("2001:db8:2::1"), ip("2001:db8:2::2")),
                  Optional.of("lte"),
                  TunnelSettings.builder()
                      .interval(Duration.ofSeconds(5))
                      .count(4)
                      .timeout(Duration.ofSeconds(2))
                      .degradedLoss(0.25)
                      .degradedRtt(Duration.ofMillis(300))
                      .downAfter(5)
                      .upAfter(4)
                      .window(Duration.ofMinutes(5))
                      .ladder(RemedyAction.RESTART_IKE)
                      .settle(Duration.ofSeconds(30))
                      .maxActionsPerHour(2)
                      .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.tunnelwatch.config.ConfigLoaderTest#tunnelKeys")
    void aTunnelKeySetInDefaultsIsInherited(TunnelKey key) throws Exception {
      AgentConfig config = parse(key.yaml(false));

      assertThat(config.tunnels()).hasSize(1);
      assertThat(key.read().apply(config.tunnels().get(0))).isEqualTo(key.fromDefaults());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.tunnelwatch.config.ConfigLoaderTest#tunnelKeys")
    void aTunnelsOwnValueWinsOverDefaults(TunnelKey key) throws Exception {
      AgentConfig config = parse(key.yaml(true));

      assertThat(config.tunnels()).hasSize(1);
      assertThat(key.read().apply(config.tunnels().get(0))).isEqualTo(key.own());
    }

    @Test
    void theInheritanceTableCoversEveryTunnelKey() {
      assertThat(tunnelKeys().map(TunnelKey::key)).containsExactlyInAnyOrderElementsOf(TunnelKeys.NAMES);
    }

    @Test
    void defaultsApplyToEveryTunnelAndEachMayOverrideThemSeparately() throws Exception {
      AgentConfig config =
          parse(
              """
              defaults:
                source: 192.168.1.1
                child: net
                count: 5
              tunnels:
                - name: a
                  targets: [192.168.5.1]
                - name: b
                  targets: [192.168.6.1]
                  count: 2
                - name: c
                  targets: [192.168.7.1]
                  child: other
              """);

      assertThat(config.tunnels())
          .extracting(TunnelConfig::name, TunnelConfig::child, t -> t.settings().count())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", "net", 5),
              org.assertj.core.groups.Tuple.tuple("b", "net", 2),
              org.assertj.core.groups.Tuple.tuple("c", "other", 5));
    }

    @Test
    void ipv6TunnelsAreAccepted() throws Exception {
      AgentConfig config =
          parse(
              """
              tunnels:
                - name: v6
                  child: net
                  source: "2001:db8:1::1"
                  targets: ["2001:db8:2::1", "2001:DB8:2:0:0:0:0:2"]
              """);

      assertThat(config.tunnels().get(0).targets())
          .extracting(IpAddresses::toText)
          .containsExactly("2001:db8:2::1", "2001:db8:2::2");
    }

    @ParameterizedTest(name = "listen: \"{0}\"")
    @ValueSource(strings = {"0.0.0.0:9814", ":9814", "127.0.0.1:1", "[::1]:65535", "[::]:9814"})
    void listenAcceptsAnIpAddressOrNothingAndAPort(String listen) throws Exception {
      AgentConfig config = parse("listen: \"" + listen + "\"\n");

      assertThat(config.listen().toString()).isEqualTo(listen);
    }

    @Test
    void everyBackendSettingCanBeGiven() throws Exception {
      AgentConfig config =
          parse(
              """
              backend:
                type: swanctl
                swanctl: /opt/strongswan/sbin/swanctl
                uri: tcp://127.0.0.1:4502
                restart-service: "rc-service strongswan restart"
                timeout: 1m
              """);

      assertThat(config.backend())
          .isEqualTo(
              new BackendConfig(
                  BackendType.SWANCTL,
                  Path.of("/opt/strongswan/sbin/swanctl"),
                  "tcp://127.0.0.1:4502",
                  "rc-service strongswan restart",
                  Duration.ofMinutes(1)));
    }

    @Test
    void strongswanConfAndMakeBeforeBreakAreReadAndDefaultToAutoFromEtc() throws Exception {
      AgentConfig config =
          parse(
              """
              backend:
                strongswan-conf: /opt/strongswan/etc/strongswan.conf
                make-before-break: yes
              """);

      assertThat(config.backend().strongswanConf()).isEqualTo(Path.of("/opt/strongswan/etc/strongswan.conf"));
      assertThat(config.backend().makeBeforeBreak()).isEqualTo(MakeBeforeBreakSetting.YES);
      assertThat(parse("backend:\n  make-before-break: no\n").backend().makeBeforeBreak()).isEqualTo(MakeBeforeBreakSetting.NO);
      assertThat(parse(MINIMAL_TUNNEL).backend())
          .extracting(BackendConfig::strongswanConf, BackendConfig::makeBeforeBreak)
          .containsExactly(Path.of("/etc/strongswan.conf"), MakeBeforeBreakSetting.AUTO);
    }

    @Test
    void zeroIsAllowedWhereItTurnsSomethingOff() throws Exception {
      AgentConfig config =
          parse(
              MINIMAL_TUNNEL
                  + """
                      settle: 0
                      degraded-rtt: 0s
                      max-actions-per-hour: 0
                  """);

      TunnelSettings settings = config.tunnels().get(0).settings();
      assertThat(settings.settle()).isZero();
      assertThat(settings.degradedRtt()).isZero();
      assertThat(settings.maxActionsPerHour()).isZero();
    }

    @Test
    void aMaintenanceJobMayNameOneTunnel() throws Exception {
      AgentConfig config =
          parse(
              MINIMAL_TUNNEL
                  + """
                  dry-run: true
                  maintenance:
                    - schedule: "0 0 4 ? * SUN"
                      action: reinitiate
                      tunnel: t1
                  """);

      assertThat(config.dryRun()).isTrue();
      assertThat(config.maintenance())
          .containsExactly(
              new MaintenanceConfig("0 0 4 ? * SUN", RemedyAction.REINITIATE, Optional.of("t1")));
    }

    @Test
    void tunnelsKeepTheirOrderInTheFile() throws Exception {
      AgentConfig config =
          parse(
              """
              defaults: { child: net, source: 10.0.0.1 }
              tunnels:
                - { name: zulu, targets: [10.1.0.1] }
                - { name: alpha, targets: [10.2.0.1] }
                - { name: mike, targets: [10.3.0.1] }
              """);

      assertThat(config.tunnels()).extracting(TunnelConfig::name).containsExactly("zulu", "alpha", "mike");
    }

    @Test
    void anEmptyFileIsAValidConfigurationWithoutTunnels() throws Exception {
      AgentConfig config = parse("");

      assertThat(config.tunnels()).isEmpty();
      assertThat(config.uplinks()).isEmpty();
      assertThat(config.maintenance()).isEmpty();
      assertThat(config.listen()).isEqualTo(new ListenAddress("0.0.0.0", 9814));
    }

    @Test
    void aFileOfOnlyCommentsIsAsValidAsAnEmptyOne() throws Exception {
      assertThat(parse("# nothing to watch yet\n")).isEqualTo(parse(""));
    }
  }

  @Nested
  class InvalidConfigs {

    /**
     * One case per file under {@code config/invalid}: {@code NAME.yml} is the configuration,
     * {@code NAME.expected} the exact lines {@code check-config} prints for it. A case known to
     * be wrong in the main code has a {@code NAME.disabled} file giving the reason; its {@code
     * .expected} holds what should be printed, and the case is skipped until the code is fixed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.tunnelwatch.config.ConfigLoaderTest#invalidCases")
    void isRejectedWithExactlyTheExpectedProblems(String name) throws IOException {
      Path dir = invalidDir();
      Path disabled = dir.resolve(name + ".disabled");
      assumeFalse(Files.exists(disabled), () -> readQuietly(disabled));
      byte[] bytes = Files.readAllBytes(dir.resolve(name + ".yml"));
      List<String> expected = Files.readAllLines(dir.resolve(name + ".expected"));

      InvalidConfigException e =
          catchThrowableOfType(
              InvalidConfigException.class, () -> loader.parse(name + ".yml", bytes));

      assertThat(e).as("%s.yml must be rejected", name).isNotNull();
      assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactlyElementsOf(expected);
      assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
    }

    @Test
    void everyInvalidCaseHasItsExpectedOutput() throws IOException {
      Path dir = invalidDir();
      List<String> missing = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        files.forEach(
            file -> {
              String fileName = file.getFileName().toString();
              String base = fileName.replaceFirst("\\.(yml|expected|disabled)$", "");
              if (fileName.endsWith(".yml") && !Files.exists(dir.resolve(base + ".expected"))) {
                missing.add(base + ".expected");
              } else if (!fileName.endsWith(".yml") && !Files.exists(dir.resolve(base + ".yml"))) {
                missing.add(base + ".yml");
              }
            });
      }

      assertThat(missing).as("files missing in %s", dir).isEmpty();
      assertThat(invalidCases()).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void malformedYamlIsOneProblemAtTheOffendingLine() {
      InvalidConfigException e =
          catchThrowableOfType(
              InvalidConfigException.class,
              () ->
                  loader.parse(
                      "bad.yml",
                      """
                      tunnels:
                        - name: t1
                          child: net
                         source: 192.168.1.1
                      """));

      assertThat(e.problems()).hasSize(1);
      ConfigProblem problem = e.problems().get(0);
      assertThat(problem.location()).isEqualTo(new SourceLocation(4, 4));
      assertThat(problem.path()).isEmpty();
      assertThat(problem.message()).startsWith("not valid YAML: ");
    }

    @Test
    void anUnknownTunnelKeyIsReportedAtTheKey() {
      InvalidConfigException e =
          catchThrowableOfType(
              InvalidConfigException.class, () -> loader.parse("t.yml", MINIMAL_TUNNEL + "    colour: blue\n"));

      assertThat(e.problems())
          .extracting(ConfigProblem::toString)
          .allSatisfy(line -> assertThat(line).startsWith("t.yml:6:5: tunnels[0].colour: unknown key (allowed here: child, count,"))
          .isNotEmpty();
    }

    @Test
    void aDocumentThatIsNothingIsNotAMapping() {
      assertThatThrownBy(() -> loader.parse("null.yml", "~\n"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessage("null.yml:1:1: must be a mapping, found nothing");
    }

    @Test
    void problemsComeInFileOrderWhateverOrderTheyAreFoundIn() {
      InvalidConfigException e =
          catchThrowableOfType(
              InvalidConfigException.class,
              () ->
                  loader.parse(
                      "order.yml",
                      """
                      maintenance:
                        - { schedule: "0 0 3 * * ?", action: reboot }
                      tunnels:
                        - { name: t1, child: net, source: 10.0.0.1, targets: [10.0.0.2], count: 0 }
                      listen: nowhere
                      """));

      assertThat(e.problems())
          .extracting(p -> p.location().line())
          .containsExactly(2, 4, 5);
    }
  }

  @Nested
  class ReadingFiles {

    @TempDir Path dir;

    @Test
    void aFileIsNamedInMessagesAsItWasGiven() throws IOException {
      Path file = dir.resolve("tunnelwatch.yml");
      Files.writeString(file, "listen: nowhere\n");

      assertThatThrownBy(() -> loader.load(file))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith(file + ":1:9: listen: must be host:port");
    }

    @Test
    void aMissingFileIsOneProblemWithoutALocation() {
      Path file = dir.resolve("absent.yml");

      InvalidConfigException e =
          catchThrowableOfType(InvalidConfigException.class, () -> loader.load(file));

      assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(file + ": no such file");
    }

    @Test
    void aDirectoryIsOneProblemWithoutALocation() {
      InvalidConfigException e =
          catchThrowableOfType(InvalidConfigException.class, () -> loader.load(dir));

      assertThat(e.problems()).extracting(ConfigProblem::toString)
          .containsExactly(dir + ": not a regular file (a directory), not read");
    }

    @Test
    @Timeout(10) // on a FIFO, an unguarded read waits for a writer forever
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
      Path fifo = dir.resolve("tunnelwatch.yml");
      new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();

      assertThatThrownBy(() -> loader.load(fifo))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessage(fifo + ": not a regular file (a FIFO), not read");
    }

    @Test
    void aLinkToDevZeroIsRefusedNotReadUntilTheHeapIsFull() throws Exception {
      Path link = Files.createSymbolicLink(dir.resolve("tunnelwatch.yml"), Path.of("/dev/zero"));

      assertThatThrownBy(() -> loader.load(link))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessage(link + ": not a regular file (a character device), not read");
    }

    @Test
    void aFileLargerThanFourMebibytesIsNotRead() throws IOException {
      Path file = dir.resolve("huge.yml");
      Files.write(file, ("#" + " ".repeat(1023) + "\n").repeat(4 * 1024 + 1).getBytes(StandardCharsets.US_ASCII));

      assertThatThrownBy(() -> loader.load(file))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessage(file + ": larger than 4 MiB, not read");
    }

    @Test
    void aFileThatIsNotUtf8IsOneProblemAtTheByteThatIsNot() throws IOException {
      Path file = dir.resolve("latin1.yml");
      Files.write(file, "# state\nstate-dir: /var/lib/tunnelw\u00e4tch\n".getBytes(StandardCharsets.ISO_8859_1));

      InvalidConfigException e =
          catchThrowableOfType(InvalidConfigException.class, () -> loader.load(file));

      assertThat(e.problems())
          .extracting(ConfigProblem::toString)
          .containsExactly(file + ":2:28: not UTF-8: byte 0xe4; save the file as UTF-8");
    }
  }

  // ---- the defaults-inheritance table

  /**
   * One tunnel key with a value for {@code defaults} and a different one for the tunnel itself,
   * both different from the built-in default, and how to read it from the resolved tunnel.
   */
  record TunnelKey(
      String key,
      String defaultsText,
      Object fromDefaults,
      String ownText,
      Object own,
      Function<TunnelConfig, Object> read) {

    private static final Map<String, String> REQUIRED =
        Map.of("child", "net", "source", "192.168.1.1", "targets", "[192.168.5.1]");

    String yaml(boolean tunnelSetsItToo) {
      Map<String, String> tunnel = new LinkedHashMap<>();
      tunnel.put("name", "t1");
      REQUIRED.forEach((k, v) -> {
        if (!k.equals(key)) {
          tunnel.put(k, v);
        }
      });
      if (tunnelSetsItToo) {
        tunnel.put(key, ownText);
      }
      StringBuilder out = new StringBuilder();
      out.append("uplinks:\n  wan: { interface: ppp0 }\n  lte: { interface: wwan0 }\n");
      out.append("defaults:\n  ").append(key).append(": ").append(defaultsText).append('\n');
      out.append("tunnels:\n");
      String indent = "  - ";
      for (Map.Entry<String, String> e : tunnel.entrySet()) {
        out.append(indent).append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        indent = "    ";
      }
      return out.toString();
    }

    @Override
    public String toString() {
      return key;
    }
  }

  static Stream<TunnelKey> tunnelKeys() {
    return Stream.of(
        new TunnelKey("ike", "ike-d", "ike-d", "ike-t", "ike-t", TunnelConfig::ike),
        new TunnelKey("child", "child-d", "child-d", "child-t", "child-t", TunnelConfig::child),
        new TunnelKey("traffic-child", "net-d", Optional.of("net-d"), "net-t", Optional.of("net-t"), TunnelConfig::trafficChild),
        new TunnelKey("source", "10.0.0.1", ip("10.0.0.1"), "10.0.0.2", ip("10.0.0.2"), TunnelConfig::source),
        new TunnelKey(
            "targets", "[10.1.0.1, 10.1.0.2]", List.of(ip("10.1.0.1"), ip("10.1.0.2")),
            "[10.2.0.1]", List.of(ip("10.2.0.1")), TunnelConfig::targets),
        new TunnelKey("uplink", "wan", Optional.of("wan"), "lte", Optional.of("lte"), TunnelConfig::uplink),
        new TunnelKey("interval", "5s", Duration.ofSeconds(5), "10s", Duration.ofSeconds(10), t -> t.settings().interval()),
        new TunnelKey("count", "4", 4, "2", 2, t -> t.settings().count()),
        new TunnelKey("timeout", "500ms", Duration.ofMillis(500), "700ms", Duration.ofMillis(700), t -> t.settings().timeout()),
        new TunnelKey("degraded-loss", "0.2", 0.2, "0.3", 0.3, t -> t.settings().degradedLoss()),
        new TunnelKey("degraded-rtt", "150ms", Duration.ofMillis(150), "250ms", Duration.ofMillis(250), t -> t.settings().degradedRtt()),
        new TunnelKey("down-after", "5", 5, "7", 7, t -> t.settings().downAfter()),
        new TunnelKey("up-after", "4", 4, "1", 1, t -> t.settings().upAfter()),
        new TunnelKey("window", "2m", Duration.ofMinutes(2), "30s", Duration.ofSeconds(30), t -> t.settings().window()),
        new TunnelKey(
            "ladder", "[restart-ike]", List.of(RemedyAction.RESTART_IKE),
            "[reinitiate, restart-service]", List.of(RemedyAction.REINITIATE, RemedyAction.RESTART_SERVICE),
            t -> t.settings().ladder()),
        new TunnelKey("settle", "1m", Duration.ofMinutes(1), "5s", Duration.ofSeconds(5), t -> t.settings().settle()),
        new TunnelKey("max-actions-per-hour", "12", 12, "1", 1, t -> t.settings().maxActionsPerHour()));
  }

  // ---- the bad-config table

  static List<String> invalidCases() throws IOException {
    try (Stream<Path> files = Files.list(invalidDir())) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(fileName -> fileName.endsWith(".yml"))
          .map(fileName -> fileName.substring(0, fileName.length() - ".yml".length()))
          .sorted()
          .toList();
    }
  }

  private static Path invalidDir() {
    return resource("config/invalid");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "disabled: " + file;
    }
  }

  // ---- helpers

  private AgentConfig parse(String yaml) throws InvalidConfigException {
    return loader.parse("test.yml", yaml);
  }

  static Path resource(String name) {
    try {
      return Path.of(ConfigLoaderTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static InetAddress ip(String literal) {
    return IpAddresses.parseLiteral(literal).orElseThrow();
  }
}
