package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.discovery.HostAddress;
import org.tunnelwatch.discovery.HostInterfaces;
import picocli.CommandLine;

class DiscoverCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** The central gateway of the seed's hub example. */
  private final HostInterfaces sgcentral =
      new HostInterfaces() {
        @Override
        public List<HostAddress> addresses() {
          return List.of(
              new HostAddress("ppp0", IpAddresses.parseLiteral("172.35.55.8").orElseThrow(), 32),
              new HostAddress("eth1", IpAddresses.parseLiteral("192.168.5.1").orElseThrow(), 24));
        }

        @Override
        public Optional<InetAddress> defaultRouteAddress() {
          return Optional.empty();
        }
      };

  @Test
  void printsAConfigurationCheckConfigAcceptsAndTheWarningsWithLineNumbersOnStandardError() throws Exception {
    Path conf = dir.resolve("ipsec.conf");
    Files.writeString(conf, fixture("seed-burri-hub-sgcentral.conf"));

    int exit = discover("--ipsec-conf", conf.toString());

    assertThat(exit).isZero();
    assertThat(err.toString().lines())
        .containsExactly(
            conf + ":8: warning: \"sear %default\" is not keyword=value; ignored",
            conf + ":40: warning: leftid=@sg1.yourdomain.com in conn sg2-sgcentral is also the leftid of conn sg1-sgcentral ("
                + conf + ":21) but with another leftrsasigkey; one of the two ids is probably wrong",
            conf + ":47: warning: leftid=@sg1.yourdomain.com in conn sg3-sgcentral is also the leftid of conn sg1-sgcentral ("
                + conf + ":21) but with another leftrsasigkey; one of the two ids is probably wrong",
            conf + ":21: warning: conn sg1-sgcentral: no dead-peer detection on a responder (dpddelay, dpdaction): the daemon never notices"
                + " that the initiator is gone and keeps its SAs until they expire; set dpddelay=30s and dpdaction=clear [no-dpd]",
            conf + ":28: warning: conn sg11-sgcentral: no dead-peer detection on a responder (dpddelay, dpdaction): the daemon never notices"
                + " that the initiator is gone and keeps its SAs until they expire; set dpddelay=30s and dpdaction=clear [no-dpd]",
            conf + ":35: warning: conn sg2-sgcentral: no dead-peer detection on a responder (dpddelay, dpdaction): the daemon never notices"
                + " that the initiator is gone and keeps its SAs until they expire; set dpddelay=30s and dpdaction=clear [no-dpd]",
            conf + ":42: warning: conn sg3-sgcentral: no dead-peer detection on a responder (dpddelay, dpdaction): the daemon never notices"
                + " that the initiator is gone and keeps its SAs until they expire; set dpddelay=30s and dpdaction=clear [no-dpd]");
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(yml, out.toString());
    AgentConfig config = new ConfigLoader().load(yml);
    assertThat(config.backend().type()).isEqualTo(BackendType.LIBRESWAN);
    assertThat(config.tunnels())
        .extracting(t -> t.name() + " " + IpAddresses.toText(t.source()) + " -> " + t.targets().get(0).label())
        .containsExactly(
            "sg1-sgcentral 192.168.5.1 -> 192.168.1.1",
            "sg11-sgcentral 192.168.5.1 -> 192.168.11.1",
            "sg2-sgcentral 192.168.5.1 -> 192.168.2.1",
            "sg3-sgcentral 192.168.5.1 -> 192.168.3.1");
  }

  @Test
  void theOperatorSaysWhichSideAndWhichBackend() throws Exception {
    Path conf = dir.resolve("ipsec.conf");
    Files.writeString(conf, fixture("seed-nadeau-fixed.conf"));

    int exit = discoverOn(gatewayWith("192.168.2.1"), "--ipsec-conf", conf.toString(), "--local", "right", "--backend", "swanctl");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("  type: swanctl\n")
        .contains("  # this host is right (--local right)\n")
        .contains("  - name: \"sitel-site2\"\n    ike: \"sitel-site2\"\n    child: \"sitel-site2\"\n    source: 192.168.2.1\n");
  }

  @Test
  void nothingReadyExitsOneWithTheReasons() throws Exception {
    Path conf = dir.resolve("ipsec.conf");
    Files.writeString(conf, fixture("seed-nadeau-pgpnet-right.conf"));

    assertThat(discover("--ipsec-conf", conf.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("tunnels: []\n").contains("  # skipped rw_pgp-site2 (" + conf + ":11): nothing fixed");
    assertThat(err.toString()).startsWith(conf + ":11: warning: conn rw_pgp-site2: nothing fixed to probe");
  }

  @Test
  void aMissingFileIsOneLineAndExitTwo() {
    assertThat(discover("--ipsec-conf", dir.resolve("nope.conf").toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("tunnelwatch: " + dir.resolve("nope.conf") + ": no such file");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void viciDiscoveryWithoutCharonIsAOneLineError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String uri = "unix://" + dir.resolve("charon.vici");
    assertThat(discover("--uri", uri)).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("tunnelwatch: cannot ask charon at " + uri + " for its connections: cannot connect to "
            + dir.resolve("charon.vici") + ": No such file or directory\n");
  }

  @Test
  void aViciUriThatIsNotAUnixSocketIsRefused() {
    assertThat(discover("--uri", "tcp://127.0.0.1:4502")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("tunnelwatch: --uri must be unix:///path/to/charon.vici, found \"tcp://127.0.0.1:4502\"\n");
  }

  @Test
  void aLineOfControlCharactersIsWarnedAboutEscapedOnOneLine() throws Exception {
    Path conf = dir.resolve("ipsec.conf");
    Files.write(conf, (fixture("seed-burri-hub-sgcentral.conf") + "\u001b]0;owned\u0007\u001b[2J junk\rmore\n").getBytes(StandardCharsets.UTF_8));

    discover("--ipsec-conf", conf.toString());

    assertThat(err.toString()).doesNotContain("\u001b", "\u0007", "\r");
    assertThat(err.toString().lines())
        .contains(conf + ":48: warning: \"\\u001b]0;owned\\u0007\\u001b[2J junk\\rmore\" is not a section, include or setting; ignored");
  }

  private int discover(String... args) {
    return discoverOn(sgcentral, args);
  }

  private static HostInterfaces gatewayWith(String lanAddress) {
    return new HostInterfaces() {
      @Override
      public List<HostAddress> addresses() {
        return List.of(new HostAddress("eth1", IpAddresses.parseLiteral(lanAddress).orElseThrow(), 24));
      }

      @Override
      public Optional<InetAddress> defaultRouteAddress() {
        return Optional.empty();
      }
    };
  }

  private int discoverOn(HostInterfaces host, String... args) {
    CommandLine cli = new CommandLine(new DiscoverCommand(host)).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of(DiscoverCommandTest.class.getResource("/fixtures/ipsec-conf/" + name).toURI()));
  }
}
