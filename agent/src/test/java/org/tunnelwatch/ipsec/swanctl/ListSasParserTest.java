package org.tunnelwatch.ipsec.swanctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEndpoint;
import org.tunnelwatch.ipsec.SaStatus;

class ListSasParserTest {

  @Test
  void anEstablishedTunnelHasItsChildInstalledWithCounters() throws Exception {
    List<IkeSa> sas = ListSasParser.parse(Fixtures.read("swanctl/list-sas-raw-installed.txt"));
    assertThat(sas).hasSize(1);
    IkeSa ike = sas.get(0);
    assertThat(ike.name()).isEqualTo("sg1-sgcentral");
    assertThat(ike.state()).isEqualTo("ESTABLISHED");
    ChildSa child = ike.child("net").orElseThrow();
    assertThat(child.state()).isEqualTo("INSTALLED");
    assertThat(child.packetsIn()).isPositive();
    assertThat(child.bytesOut()).isPositive();
    assertThat(SaStatus.of(sas, "sg1-sgcentral", "net").describe()).isEqualTo("IKE ESTABLISHED, CHILD INSTALLED");
  }

  @Test
  void theEndpointsAreTheIkeAddressesAndPorts() throws Exception {
    IkeSa ike = ListSasParser.parse(Fixtures.read("swanctl/list-sas-raw-installed.txt")).get(0);
    assertThat(ike.local().map(SaEndpoint::toString)).contains("192.0.2.2:4500");
    assertThat(ike.remote().map(SaEndpoint::socketAddress))
        .contains(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 4500));
  }

  @Test
  void aConnectingIkeSaStillOnPort500HasItsEndpoints() throws Exception {
    IkeSa ike = ListSasParser.parse(Fixtures.read("swanctl/list-sas-raw-connecting.txt")).get(0);
    assertThat(ike.local().map(SaEndpoint::toString)).contains("192.0.2.2:500");
    assertThat(ike.remote().map(SaEndpoint::toString)).contains("192.0.2.1:500");
  }

  @Test
  void endpointsWithoutAPortOrWithANameAreEmpty() throws Exception {
    IkeSa ike =
        ListSasParser.parse("list-sa event {a {uniqueid=1 state=ESTABLISHED local-host=192.0.2.2 remote-host=hub.example remote-port=500}}")
            .get(0);
    assertThat(ike.local()).isEmpty();
    assertThat(ike.remote()).isEmpty();
  }

  @Test
  void noSasAfterTheHubDeletedThem() throws Exception {
    List<IkeSa> sas = ListSasParser.parse(Fixtures.read("swanctl/list-sas-raw-empty.txt"));
    assertThat(sas).isEmpty();
    assertThat(SaStatus.of(sas, "sg1-sgcentral", "net").describe()).isEqualTo("IKE none, CHILD none");
  }

  @Test
  void aConnectingIkeSaHasNoChildYet() throws Exception {
    List<IkeSa> sas = ListSasParser.parse(Fixtures.read("swanctl/list-sas-raw-connecting.txt"));
    SaStatus status = SaStatus.of(sas, "sg1-sgcentral", "net");
    assertThat(status.describe()).isEqualTo("IKE CONNECTING, CHILD none");
    assertThat(status.childInstalled()).isFalse();
  }

  @Test
  void prefersTheInstalledAndNewestChildOfTheName() throws Exception {
    String line =
        "list-sa event {a {uniqueid=1 state=ESTABLISHED child-sas {net-3 {name=net uniqueid=3 state=REKEYED}"
            + " net-4 {name=net uniqueid=4 state=INSTALLED} other-5 {name=other uniqueid=5 state=INSTALLED}}}}";
    IkeSa ike = ListSasParser.parse(line).get(0);
    assertThat(ike.child("net").orElseThrow().uniqueId()).isEqualTo(4);
  }

  @Test
  void valuesWithSpacesDoNotConfuseTheParser() throws Exception {
    String line =
        "list-sa event {a {uniqueid=1 state=ESTABLISHED remote-id=C=CH, O=Example, CN=hub child-sas {net-1 {name=net state=INSTALLED}}}}";
    IkeSa ike = ListSasParser.parse(line).get(0);
    assertThat(ike.child("net")).isPresent();
  }

  @Test
  void aTruncatedLineIsAClearError() {
    assertThatThrownBy(() -> ListSasParser.parse("list-sa event {a {uniqueid=1 state=ESTAB"))
        .isInstanceOf(RawFormatException.class)
        .hasMessageStartingWith("line ends inside a section");
  }

  @Test
  void anUnterminatedListIsAClearError() {
    assertThatThrownBy(() -> ListSasParser.parse("list-sa event {a {tasks=[IKE_INIT"))
        .isInstanceOf(RawFormatException.class)
        .hasMessageStartingWith("unterminated list");
  }

  @Test
  void linesThatAreNotEventsAreIgnored() throws Exception {
    assertThat(ListSasParser.parse("plugin 'x': failed to load\nlist-sas reply {}\n")).isEmpty();
  }
}
