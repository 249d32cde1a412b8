package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.ipsec.vici.ViciMessage;

/** The mapping of list-conns events onto connection descriptions (the socket is tested in the lab). */
class ViciConnectionSourceTest {

  private static ViciMessage conn(String name, ViciMessage children) {
    return ViciMessage.builder()
        .section(
            name,
            ViciMessage.builder()
                .listOfText("local_addrs", List.of("192.0.2.2"))
                .listOfText("remote_addrs", List.of("192.0.2.1"))
                .add("version", "IKEv2")
                .section("children", children)
                .build())
        .build();
  }

  @Test
  void eachConnectionWithItsChildrenAndSelectorsIsDescribed() {
    ViciMessage children =
        ViciMessage.builder()
            .section("net", ViciMessage.builder()
                .listOfText("local-ts", List.of("198.51.100.0/24"))
                .listOfText("remote-ts", List.of("203.0.113.0/24"))
                .build())
            .section("voip", ViciMessage.builder()
                .listOfText("local-ts", List.of("198.51.100.0/24[udp/5060]"))
                .listOfText("remote-ts", List.of("203.0.113.10/32"))
                .build())
            .build();
    ConnectionSource.Found found = ViciConnectionSource.describe(List.of(conn("sg1-sgcentral", children)));
    assertThat(found.connections())
        .containsExactly(
            new ConnectionDescription(
                "sg1-sgcentral",
                "vici",
                List.of("192.0.2.2"),
                List.of("192.0.2.1"),
                List.of(
                    new ConnectionDescription.ChildDescription("net", List.of("198.51.100.0/24"), List.of("203.0.113.0/24")),
                    new ConnectionDescription.ChildDescription("voip", List.of("198.51.100.0/24[udp/5060]"), List.of("203.0.113.10/32"))),
                List.of()));
    assertThat(found.skipped()).isEmpty();
  }

  @Test
  void aConnectionWithoutChildrenIsSkippedWithTheReason() {
    ConnectionSource.Found found = ViciConnectionSource.describe(List.of(conn("ike-only", ViciMessage.empty())));
    assertThat(found.connections()).isEmpty();
    assertThat(found.skipped())
        .containsExactly(new ConnectionSource.Skipped("ike-only", "vici", "no CHILD SA is configured, so there is no traffic to probe"));
  }
}
