package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.ConfigProblem;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.config.InvalidConfigException;

/** {@code tunnels: auto}: the loader discovers through ipsec.conf and applies the defaults. */
class AutoTunnelsTest {

  @TempDir Path dir;

  private final HostInterfaces sg1 =
      new FixedInterfaces().with("ppp0", "198.51.100.7/32").defaultRoute("ppp0").with("eth1", "192.168.1.1/24").with("eth2", "192.168.11.1/24");

  @Test
  void discoveredTunnelsGetTheDefaultsAndTheUplink() throws Exception {
    Path conf = copy("seed-burri-hub-sg1.conf");
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(
        yml,
        """
        backend: { type: libreswan }
        uplinks: { wan: { interface: ppp0 } }
        defaults: { interval: 5s, uplink: wan }
        discovery: { ipsec-conf: %s }
        tunnels: auto
        maintenance:
          - { schedule: "0 30 3 * * ?", action: reinitiate, tunnel: sgl1-sgcentral }
        """
            .formatted(conf));

    AgentConfig config = new ConfigLoader(new HostTunnelDiscovery(sg1)).load(yml);

    assertThat(config.tunnels())
        .extracting(t -> t.name() + " " + t.ike() + "/" + t.child() + " " + IpAddresses.toText(t.source()) + " -> "
            + t.targets().get(0).label() + " " + t.uplink().orElse("-") + " " + t.settings().interval())
        .containsExactly(
            "sgl-sgcentral sgl-sgcentral/sgl-sgcentral 192.168.1.1 -> 192.168.5.1 wan PT5S",
            "sgl1-sgcentral sgl1-sgcentral/sgl1-sgcentral 192.168.11.1 -> 192.168.5.1 wan PT5S");
    assertThat(config.maintenance()).hasSize(1);
  }

  @Test
  void everyLoadDiscoversAgainSoAReloadSeesANewConn() throws Exception {
    Path conf = copy("seed-burri-hub-sg2.conf");
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(yml, "discovery: { ipsec-conf: %s }\ntunnels: auto\n".formatted(conf));
    ConfigLoader loader = new ConfigLoader(new HostTunnelDiscovery(new FixedInterfaces().with("eth1", "192.168.2.1/24").with("eth2", "192.168.22.1/24")));
    assertThat(loader.load(yml).tunnels()).hasSize(1);

    Files.writeString(conf, Files.readString(conf) + "\nconn sg22-sgcentral\n\tleft=%defaultroute\n\tleftsubnet=192.168.22.0/24\n");

    assertThat(loader.load(yml).tunnels()).extracting(t -> t.name()).containsExactly("sg2-sgcentral", "sg22-sgcentral");
  }

  @Test
  void aDiscoveryThatFindsNothingReadyIsAProblemOfTheConfiguration() throws Exception {
    Path conf = copy("seed-nadeau-pgpnet-right.conf");
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(yml, "discovery:\n  ipsec-conf: %s\ntunnels: auto\n".formatted(conf));

    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> new ConfigLoader(new HostTunnelDiscovery(FixedInterfaces.none())).load(yml));

    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(yml + ":3:10: tunnels: discovery found no tunnel to watch in " + conf + " (run tunnelwatch discover to see why)");
  }

  @Test
  void anUnreadableIpsecConfIsAProblemAtTheAuto() throws Exception {
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(yml, "tunnels: auto\ndiscovery: { ipsec-conf: /nonexistent/ipsec.conf }\n");

    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> new ConfigLoader(new HostTunnelDiscovery(FixedInterfaces.none())).load(yml));

    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(yml + ":1:10: tunnels: discovery failed: /nonexistent/ipsec.conf: no such file");
  }

  @Test
  void aDiscoveredTunnelBreakingARuleIsReportedAtTheAuto() throws Exception {
    Path conf = copy("seed-burri-hub-sg2.conf");
    Path yml = dir.resolve("tunnelwatch.yml");
    Files.writeString(yml, "defaults: { interval: 500ms }\ndiscovery: { ipsec-conf: %s }\ntunnels: auto\n".formatted(conf));

    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () -> new ConfigLoader(new HostTunnelDiscovery(new FixedInterfaces().with("eth1", "192.168.2.1/24"))).load(yml));

    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            yml + ":1:23: defaults.interval: a round (3 echoes 200ms apart, then a timeout of 1s: 1s400ms) must be shorter"
                + " than interval (500ms)");
  }

  private Path copy(String fixture) throws Exception {
    Path target = dir.resolve(fixture);
    Files.copy(SeedFixturesTest.fixtures().resolve(fixture), target);
    return target;
  }
}
