package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.IpAddresses;

/**
 * Every ipsec.conf of the seed document (see fixtures/ipsec-conf/README.md), read as the gateway
 * it was written for: the exact tunnels found and the exact warnings, with line numbers, for the
 * seed's own mistakes.
 */
class SeedFixturesTest {

  static Path fixtures() throws URISyntaxException {
    return Path.of(SeedFixturesTest.class.getResource("/fixtures/ipsec-conf").toURI());
  }

  static Stream<String> seedFiles() throws Exception {
    try (Stream<Path> files = Files.list(fixtures())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("seed-") && n.endsWith(".conf")).sorted().toList().stream();
    }
  }

  static TunnelPlanner.Plan discover(String file, HostInterfaces host) throws Exception {
    return discover(file, host, Optional.empty());
  }

  static TunnelPlanner.Plan discover(String file, HostInterfaces host, Optional<Side> local) throws Exception {
    return new TunnelPlanner(host).plan(new IpsecConfSource(fixtures().resolve(file), file, host, local).read());
  }

  /** A tunnel as one line: name ike child source -> targets, or TODO for a missing source. */
  static List<String> tunnels(TunnelPlanner.Plan plan) {
    return plan.tunnels().stream()
        .map(
            t ->
                t.name() + " " + t.ike() + "/" + t.child() + " "
                    + t.source().map(IpAddresses::toText).orElse("TODO") + " -> "
                    + String.join(",", t.targets().stream().map(IpAddresses::toText).toList()))
        .toList();
  }

  static List<String> warnings(TunnelPlanner.Plan plan) {
    return plan.diagnostics().stream().map(Diagnostic::toString).toList();
  }

  @ParameterizedTest
  @MethodSource("seedFiles")
  void everySeedFileGivesAConfigurationThatCheckConfigAccepts(String file, @TempDir Path dir) throws Exception {
    TunnelPlanner.Plan plan = discover(file, FixedInterfaces.none());
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(yml, ConfigYamlWriter.write(plan, file, "libreswan", Optional.empty()));
    AgentConfig config = new ConfigLoader().load(yml);
    assertThat(config.tunnels()).hasSize(plan.ready().size());
    assertThat(config.backend().type()).isEqualTo(BackendType.LIBRESWAN);
  }

  @ParameterizedTest
  @MethodSource("seedFiles")
  void everySeedFileIsListedInTheReadme(String file) throws Exception {
    assertThat(Files.readString(fixtures().resolve("README.md"))).contains("`" + file + "`");
  }

  @Test
  void theFixturesAreAllTheSeedsIpsecConfs() throws Exception {
    assertThat(seedFiles()).hasSize(15);
  }

  @Nested
  class SimpleSubnetToSubnet {

    @Test
    void theDynamicLeftGatewayWatchesItsTunnelFromItsLan() throws Exception {
      var sg1 = new FixedInterfaces().with("ppp0", "198.51.100.7/32").defaultRoute("ppp0").with("eth1", "192.168.1.1/24");
      var plan = discover("seed-burri-s2s-left.conf", sg1);
      assertThat(tunnels(plan)).containsExactly("sg1-sg2 sg1-sg2/sg1-sg2 192.168.1.1 -> 192.168.2.1");
      assertThat(warnings(plan)).isEmpty();
      assertThat(plan.tunnels().get(0).notes())
          .containsExactly(
              "this host is left: left=%defaultroute, leftsubnet 192.168.1.0/24 holds 192.168.1.1 of this host (eth1)",
              "auto=start: this gateway brings the tunnel up");
    }

    @Test
    void withoutALanAddressTheTunnelGetsATodoNotAnInventedSource() throws Exception {
      var plan = discover("seed-burri-s2s-left.conf", FixedInterfaces.none());
      assertThat(tunnels(plan)).containsExactly("sg1-sg2 sg1-sg2/sg1-sg2 TODO -> 192.168.2.1");
      assertThat(warnings(plan))
          .containsExactly(
              "seed-burri-s2s-left.conf:20: warning: conn sg1-sg2: no address of this host inside 192.168.1.0/24;"
                  + " written commented out with a TODO");
      assertThat(ConfigYamlWriter.write(plan, "x", "libreswan", Optional.empty()))
          .contains(
              "  # TODO no address of this host inside 192.168.1.0/24: set source to this gateway's LAN address in the tunnel,"
                  + " then remove the # signs below\n  # - name: \"sg1-sg2\"\n");
    }

    @Test
    void theFixedRightGatewayIsRightByItsAddressItsNexthopAndItsSubnet() throws Exception {
      var sg2 = new FixedInterfaces().with("eth0", "210.31.25.4/24").with("eth1", "192.168.2.1/24");
      var plan = discover("seed-burri-s2s-right.conf", sg2);
      assertThat(tunnels(plan)).containsExactly("sg1-sg2 sg1-sg2/sg1-sg2 192.168.2.1 -> 192.168.1.1");
      assertThat(warnings(plan)).isEmpty();
      assertThat(plan.tunnels().get(0).notes())
          .containsExactly(
              "this host is right: right=210.31.25.4 is an address of this host (eth0), rightnexthop=%defaultroute,"
                  + " rightsubnet 192.168.2.0/24 holds 192.168.2.1 of this host (eth1)",
              "auto=add: this gateway waits for the peer to bring the tunnel up",
              "the peer's address is not known here (left=0.0.0.0): only the peer can bring the tunnel up again");
    }

    @Test
    void theRightGatewayIsKnownByItsPeersWildcardEvenWithoutInterfaces() throws Exception {
      var plan = discover("seed-burri-s2s-right.conf", FixedInterfaces.none());
      assertThat(tunnels(plan)).containsExactly("sg1-sg2 sg1-sg2/sg1-sg2 TODO -> 192.168.1.1");
    }
  }

  @Nested
  class HubAndSatellites {

    @Test
    void satelliteSg1HasTwoSubnetsAndTwoMistypedConnNames() throws Exception {
      var sg1 = new FixedInterfaces().with("ppp0", "198.51.100.7/32").with("eth1", "192.168.1.1/24").with("eth2", "192.168.11.1/24");
      var plan = discover("seed-burri-hub-sg1.conf", sg1);
      assertThat(tunnels(plan))
          .containsExactly(
              "sgl-sgcentral sgl-sgcentral/sgl-sgcentral 192.168.1.1 -> 192.168.5.1",
              "sgl1-sgcentral sgl1-sgcentral/sgl1-sgcentral 192.168.11.1 -> 192.168.5.1");
      assertThat(warnings(plan))
          .containsExactly(
              "seed-burri-hub-sg1.conf:20: warning: conn name sgl-sgcentral: \"sgl\" looks like \"sg1\" with the letter l"
                  + " typed for the digit 1; the peer's conn must have the same name",
              "seed-burri-hub-sg1.conf:27: warning: conn name sgl1-sgcentral: \"sgl1\" looks like \"sg11\" with the letter l"
                  + " typed for the digit 1; the peer's conn must have the same name");
    }

    @Test
    void satellitesSg2AndSg3() throws Exception {
      var sg2 = discover("seed-burri-hub-sg2.conf", new FixedInterfaces().with("eth1", "192.168.2.1/24"));
      assertThat(tunnels(sg2)).containsExactly("sg2-sgcentral sg2-sgcentral/sg2-sgcentral 192.168.2.1 -> 192.168.5.1");
      assertThat(warnings(sg2)).isEmpty();
      // sg3's leftid=@sg2 (line 25) is a copy-paste slip that only a look at sg2's file shows.
      var sg3 = discover("seed-burri-hub-sg3.conf", new FixedInterfaces().with("eth1", "192.168.3.1/24"));
      assertThat(tunnels(sg3)).containsExactly("sg3-sgcentral sg3-sgcentral/sg3-sgcentral 192.168.3.1 -> 192.168.5.1");
      assertThat(warnings(sg3)).isEmpty();
    }

    @Test
    void theCentralGatewayWatchesEverySatelliteAndReportsTheGarbledLineAndTheCopiedIds() throws Exception {
      var central = new FixedInterfaces().with("ppp0", "172.35.55.8/32").with("eth1", "192.168.5.1/24");
      var plan = discover("seed-burri-hub-sgcentral.conf", central);
      assertThat(tunnels(plan))
          .containsExactly(
              "sg1-sgcentral sg1-sgcentral/sg1-sgcentral 192.168.5.1 -> 192.168.1.1",
              "sg11-sgcentral sg11-sgcentral/sg11-sgcentral 192.168.5.1 -> 192.168.11.1",
              "sg2-sgcentral sg2-sgcentral/sg2-sgcentral 192.168.5.1 -> 192.168.2.1",
              "sg3-sgcentral sg3-sgcentral/sg3-sgcentral 192.168.5.1 -> 192.168.3.1");
      assertThat(warnings(plan))
          .containsExactly(
              "seed-burri-hub-sgcentral.conf:8: warning: \"sear %default\" is not keyword=value; ignored",
              "seed-burri-hub-sgcentral.conf:40: warning: leftid=@sg1.yourdomain.com in conn sg2-sgcentral is also the leftid"
                  + " of conn sg1-sgcentral (seed-burri-hub-sgcentral.conf:21) but with another leftrsasigkey; one of the two"
                  + " ids is probably wrong",
              "seed-burri-hub-sgcentral.conf:47: warning: leftid=@sg1.yourdomain.com in conn sg3-sgcentral is also the leftid"
                  + " of conn sg1-sgcentral (seed-burri-hub-sgcentral.conf:21) but with another leftrsasigkey; one of the two"
                  + " ids is probably wrong");
    }
  }

  @Nested
  class KeyFragments {

    @Test
    void fragmentsWithOnlyConnDefaultHoldNoTunnel() throws Exception {
      for (String file : List.of("seed-burri-keys-left.conf", "seed-burri-keys-right.conf")) {
        var plan = discover(file, FixedInterfaces.none());
        assertThat(plan.tunnels()).isEmpty();
        assertThat(plan.skipped()).isEmpty();
        assertThat(warnings(plan)).isEmpty();
      }
    }

    @Test
    void aConnWithOnlyAKeyIsSkippedWithItsLine() throws Exception {
      var plan = discover("seed-burri-keys-exchange.conf", FixedInterfaces.none());
      assertThat(plan.tunnels()).isEmpty();
      assertThat(warnings(plan))
          .containsExactly(
              "seed-burri-keys-exchange.conf:6: warning: conn road-office: no left= and no right= (nor from %default or also=);"
                  + " skipped");
    }
  }

  @Nested
  class FixedAddressesOnBothGateways {

    private static final String SITEL =
        "seed-nadeau-fixed.conf:11: warning: conn name sitel-site2: \"sitel\" looks like \"site1\" with the letter l typed for"
            + " the digit 1; the peer's conn must have the same name";

    @Test
    void theSameFileIsReadAsLeftOnTheLeftGateway() throws Exception {
      var left = new FixedInterfaces().with("eth0", "207.151.222.2/24").with("eth1", "192.168.1.1/24");
      var plan = discover("seed-nadeau-fixed.conf", left);
      assertThat(tunnels(plan)).containsExactly("sitel-site2 sitel-site2/sitel-site2 192.168.1.1 -> 192.168.2.1");
      assertThat(warnings(plan)).containsExactly(SITEL);
    }

    @Test
    void andAsRightOnTheRightGateway() throws Exception {
      var right = new FixedInterfaces().with("eth0", "172.35.55.8/24").with("eth1", "192.168.2.1/24");
      var plan = discover("seed-nadeau-fixed.conf", right);
      assertThat(tunnels(plan)).containsExactly("sitel-site2 sitel-site2/sitel-site2 192.168.2.1 -> 192.168.1.1");
    }

    @Test
    void onAHostThatIsNeitherItIsAmbiguousAndSkippedNotGuessed() throws Exception {
      var plan = discover("seed-nadeau-fixed.conf", FixedInterfaces.none());
      assertThat(plan.tunnels()).isEmpty();
      assertThat(warnings(plan))
          .containsExactly(
              SITEL,
              "seed-nadeau-fixed.conf:11: warning: conn sitel-site2: cannot tell whether this host is left or right (neither"
                  + " side is %defaultroute, an address of this host or holds one in its subnet, and neither is a wildcard);"
                  + " give --local left or --local right");
    }

    @Test
    void theOperatorCanSayWhichSide() throws Exception {
      var plan = discover("seed-nadeau-fixed.conf", new FixedInterfaces().with("eth1", "192.168.2.1/24"), Optional.of(Side.LEFT));
      assertThat(tunnels(plan)).containsExactly("sitel-site2 sitel-site2/sitel-site2 TODO -> 192.168.2.1");
      assertThat(plan.tunnels().get(0).notes()).first().isEqualTo("this host is left (--local left)");
    }
  }

  @Nested
  class NatedGateway {

    @Test
    void theMisspeltDefaultrouteIsReportedAndNotReadAsDefaultroute() throws Exception {
      var plan = discover("seed-nadeau-nat-left.conf", FixedInterfaces.none());
      assertThat(plan.tunnels()).isEmpty();
      assertThat(warnings(plan))
          .containsExactly(
              "seed-nadeau-nat-left.conf:11: warning: conn site1-site2: cannot tell whether this host is left or right (neither"
                  + " side is %defaultroute, an address of this host or holds one in its subnet, and neither is a wildcard);"
                  + " give --local left or --local right",
              "seed-nadeau-nat-left.conf:12: warning: left=%defaulroute: unknown magic value %defaulroute (did you mean"
                  + " %defaultroute?); the daemon will not read it as %defaultroute");
    }

    @Test
    void theNatedLeftGatewayIsFoundByItsLanInsideLeftsubnet() throws Exception {
      var left = new FixedInterfaces().with("eth0", "10.0.0.2/24").with("eth1", "192.168.1.1/24");
      var plan = discover("seed-nadeau-nat-left.conf", left);
      assertThat(tunnels(plan)).containsExactly("site1-site2 site1-site2/site1-site2 192.168.1.1 -> 192.168.2.1");
      assertThat(warnings(plan)).hasSize(1).first().asString().contains(":12: warning: left=%defaulroute");
    }

    @Test
    void theRightGatewaysMistypedConnNameAndLeftidAreReported() throws Exception {
      var right = new FixedInterfaces().with("eth0", "172.35.55.8/24").defaultRoute("eth0").with("eth1", "192.168.2.1/24");
      var plan = discover("seed-nadeau-nat-right.conf", right);
      assertThat(tunnels(plan)).containsExactly("sitel-site2 sitel-site2/sitel-site2 192.168.2.1 -> 192.168.1.1");
      assertThat(warnings(plan))
          .containsExactly(
              "seed-nadeau-nat-right.conf:11: warning: conn name sitel-site2: \"sitel\" looks like \"site1\" with the letter l"
                  + " typed for the digit 1; the peer's conn must have the same name",
              "seed-nadeau-nat-right.conf:20: warning: leftid=@sgl.yourdomain.com: \"sgl\" looks like \"sg1\" with the letter l"
                  + " typed for the digit 1; the peer must use the same id");
    }
  }

  @Nested
  class RoadWarriors {

    @Test
    void theLaptopProbesFromItsDialUpAddress() throws Exception {
      var laptop = new FixedInterfaces().with("ppp0", "198.51.100.23/32").defaultRoute("ppp0");
      var plan = discover("seed-nadeau-roadwarrior-left.conf", laptop);
      assertThat(tunnels(plan)).containsExactly("Road-Central Road-Central/Road-Central 198.51.100.23 -> 192.168.2.1");
      assertThat(warnings(plan)).isEmpty();
    }

    @Test
    void withoutADefaultRouteTheLaptopsSourceIsATodo() throws Exception {
      var plan = discover("seed-nadeau-roadwarrior-left.conf", FixedInterfaces.none());
      assertThat(tunnels(plan)).containsExactly("Road-Central Road-Central/Road-Central TODO -> 192.168.2.1");
      assertThat(warnings(plan))
          .containsExactly(
              "seed-nadeau-roadwarrior-left.conf:11: warning: conn Road-Central: this host's own address for the tunnel is not"
                  + " known here (local address %defaultroute); written commented out with a TODO");
    }

    @Test
    void theCentralGatewayHasNothingFixedToProbeBehindARoadWarrior() throws Exception {
      for (String file : List.of("seed-nadeau-roadwarrior-right.conf", "seed-nadeau-pgpnet-right.conf")) {
        var plan = discover(file, new FixedInterfaces().with("eth0", "172.35.55.8/24").with("eth1", "192.168.2.1/24"));
        String conn = file.contains("pgp") ? "rw_pgp-site2" : "Road-Central";
        assertThat(plan.tunnels()).isEmpty();
        assertThat(warnings(plan))
            .containsExactly(
                file + ":11: warning: conn " + conn + ": nothing fixed to probe behind the peer (remote selector dynamic, peer"
                    + " address 0.0.0.0); skipped");
      }
    }
  }
}
