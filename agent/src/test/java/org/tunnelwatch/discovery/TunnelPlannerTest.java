package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.discovery.ConnectionDescription.ChildDescription;
import org.tunnelwatch.discovery.ConnectionSource.Found;

/**
 * Connections to tunnels to YAML, the part every source shares: here with connections shaped the
 * way VICI {@code list-conns} reports them (several children, {@code dynamic}, port-limited
 * selectors, IPv6), next to the ipsec.conf ones of {@link SeedFixturesTest}.
 */
class TunnelPlannerTest {

  private final FixedInterfaces hub =
      new FixedInterfaces().with("eth0", "203.0.113.1/24").defaultRoute("eth0").with("eth1", "198.51.100.1/24").with("eth1", "2001:db8:1::1/64");

  private static ConnectionDescription conn(String name, List<String> local, List<String> remote, ChildDescription... children) {
    return new ConnectionDescription(name, "vici", local, remote, List.of(children), List.of());
  }

  @Test
  void viciShapedConnectionsBecomeTunnelsAndAValidConfiguration(@TempDir Path dir) throws Exception {
    Found found =
        new Found(
            List.of(
                conn("sg1-sgcentral", List.of("%any"), List.of("192.0.2.10"),
                    new ChildDescription("net", List.of("198.51.100.0/24"), List.of("192.0.2.128/25"))),
                conn("branch", List.of("203.0.113.1"), List.of("%any"),
                    new ChildDescription("web", List.of("198.51.100.0/24[tcp/80]"), List.of("10.20.0.0/16[tcp/80]")),
                    new ChildDescription("v6", List.of("2001:db8:1::/64"), List.of("10.30.0.0/16", "2001:db8:2::/64"))),
                conn("host2host", List.of("%any"), List.of("192.0.2.77"), new ChildDescription("host", List.of("dynamic"), List.of("dynamic")))),
            List.of(),
            List.of());

    TunnelPlanner.Plan plan = new TunnelPlanner(hub).plan(found);

    assertThat(SeedFixturesTest.tunnels(plan))
        .containsExactly(
            "sg1-sgcentral sg1-sgcentral/net 198.51.100.1 -> 192.0.2.129",
            "branch-web branch/web 198.51.100.1 -> 10.20.0.1",
            "branch-v6 branch/v6 2001:db8:1::1 -> 2001:db8:2::1",
            "host2host host2host/host 203.0.113.1 -> 192.0.2.77");
    Path yml = dir.resolve("t.yml");
    Files.writeString(yml, ConfigYamlWriter.write(plan, "unix:///var/run/charon.vici", "swanctl", Optional.of("unix:///var/run/charon.vici")));
    AgentConfig config = new ConfigLoader().load(yml);
    assertThat(config.tunnels()).hasSize(4);
    assertThat(config.backend().uri()).isEqualTo("unix:///var/run/charon.vici");
  }

  @Test
  void aSelectorOfEverythingHasNoFirstHostToProbe() {
    Found found =
        new Found(
            List.of(conn("full", List.of("%any"), List.of("%any"), new ChildDescription("all", List.of("198.51.100.0/24"), List.of("0.0.0.0/0")))),
            List.of(),
            List.of());
    TunnelPlanner.Plan plan = new TunnelPlanner(hub).plan(found);
    assertThat(plan.tunnels()).isEmpty();
    assertThat(SeedFixturesTest.warnings(plan))
        .containsExactly("vici: warning: conn full: nothing fixed to probe behind the peer (remote selector 0.0.0.0/0, peer address %any); skipped");
  }

  @Test
  void namesTunnelwatchCannotUseAreSkippedNotMangled() {
    Found found =
        new Found(
            List.of(conn("a b", List.of("%any"), List.of("192.0.2.1"), new ChildDescription("a b", List.of("dynamic"), List.of("dynamic")))),
            List.of(),
            List.of());
    assertThat(SeedFixturesTest.warnings(new TunnelPlanner(hub).plan(found)))
        .containsExactly(
            "vici: warning: conn a b: the name \"a b\" is not a tunnelwatch name (1 to 63 letters, digits, '.', '_' or '-'); skipped");
  }

  @Test
  void firstHostOfANetwork() {
    assertThat(Cidr.parse("192.168.5.0/24").orElseThrow().firstHost().getHostAddress()).isEqualTo("192.168.5.1");
    assertThat(Cidr.parse("192.168.5.77/24").orElseThrow().firstHost().getHostAddress()).isEqualTo("192.168.5.1");
    assertThat(Cidr.parse("192.0.2.7/32").orElseThrow().firstHost().getHostAddress()).isEqualTo("192.0.2.7");
    assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("vpn.example.org")).isEmpty();
  }

  @Test
  void theDefaultRouteInterfaceIsReadFromProcNetRoute(@TempDir Path dir) throws Exception {
    Path route = dir.resolve("route");
    Files.writeString(
        route,
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth1\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
            + "ppp0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
    assertThat(new SystemInterfaces(route).defaultRouteInterface()).contains("ppp0");
    Files.writeString(route, "Iface\tDestination\tGateway\n");
    assertThat(new SystemInterfaces(route).defaultRouteInterface()).isEmpty();
  }
}
