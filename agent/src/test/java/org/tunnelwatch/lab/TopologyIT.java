package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent on the lab's bigger topologies: a satellite with two subnets and one CHILD SA each
 * (the seed document's sg1/sg11), and a satellite reaching another satellite through the hub.
 */
class TopologyIT extends LabScenario {

  private static final String IKE = "sg1-sgcentral";
  private static final String HUB_LAN = "203.0.113.1";

  /** The installed CHILD SA {@code child} of {@code ike} on {@code gateway}: inbound SPI and bytes. */
  record ChildSa(String spiIn, long bytesIn) {}

  private ChildSa childSa(String gateway, String ike, String child) {
    return childSa(lab, gateway, ike, child);
  }

  static ChildSa childSa(Lab lab, String gateway, String ike, String child) {
    String out = lab.swanctl(gateway, "--list-sas", "--ike", ike, "--child", child);
    Matcher m =
        Pattern.compile("(?m)^  " + child + ": #\\d+, .*INSTALLED.*\\n(?:    .*\\n)*?    in  ([0-9a-f]{8}),\\s+(\\d+) bytes")
            .matcher(out);
    assertThat(m.find()).as("installed CHILD SA %s on %s in:\n%s", child, gateway, out).isTrue();
    return new ChildSa(m.group(1), Long.parseLong(m.group(2)));
  }

  @Test
  void withTwoChildSasOnOneGatewayOnlyTheBrokenOneIsTouched() throws Exception {
    AgentProcess agent = twoSubnetsWithAgent();
    String lan2 = lab.env.get("TW_SAT_LAN2");
    ChildSa healthyBefore = childSa("sat", IKE, "net");

    lab.fault("child-dataplane", "net11");
    awaitState(agent, "sg11", "down", DOWN_BOUND);
    await("traffic from the second subnet flows again").atMost(BOUND)
        .until(() -> lab.trafficFlows("sat", HUB_LAN, lan2));
    awaitState(agent, "sg11", "up", BOUND);

    // The healthy CHILD SA kept its SA (same SPI) and its counters (still counting up, not reset).
    ChildSa healthyAfter = childSa("sat", IKE, "net");
    assertThat(healthyAfter.spiIn()).isEqualTo(healthyBefore.spiIn());
    assertThat(healthyAfter.bytesIn()).isGreaterThan(healthyBefore.bytesIn());
    assertThat(actionsTaken(agent, "sg1")).isZero();
    assertThat(agent.logText()).doesNotContain("tunnel=sg1 state up -> down");
    assertThat(inState(agent, "sg1", "up")).isTrue();
    // The broken one was renewed by the first rung, without restarting the IKE SA they share.
    assertThat(actionsTaken(agent, "sg11")).isGreaterThanOrEqualTo(1.0);
    assertThat(remediations(agent, "sg11", "restart-ike", "success") + remediations(agent, "sg11", "restart-ike", "failure")).isZero();
    assertThat(remediations(agent, "sg11", "restart-service", "success")).isZero();
  }

  @Test
  void throughTheHubToAnotherSatelliteTheRepairStaysOnThisSatellite() throws Exception {
    lab = Lab.up("--topology", "transit");
    String farLan = lab.env.get("TW_SAT2_LAN");
    String tunnels = AgentProcess.tunnel("to-sat2", IKE, "net", lab.env.get("TW_SAT_LAN"), farLan);
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", AgentProcess.config(lab, "sat", "", "", tunnels)));
    awaitState(agent, "to-sat2", "up", BOUND);
    ChildSa farBefore = childSa("sat2", "sg2-sgcentral", "net");

    // This satellite's CHILD SA dies at the hub; the far satellite's tunnel is fine.
    lab.fault("child-dataplane", "net", "--sat", "sat");
    awaitState(agent, "to-sat2", "down", DOWN_BOUND);
    await("traffic to the far satellite flows again").atMost(BOUND)
        .until(() -> lab.trafficFlows("sat", farLan, lab.env.get("TW_SAT_LAN")));
    awaitState(agent, "to-sat2", "up", BOUND);

    assertThat(childSa("sat2", "sg2-sgcentral", "net").spiIn()).isEqualTo(farBefore.spiIn());
    assertThat(remediations(agent, "to-sat2", "restart-service", "success")).isZero();
  }
}
