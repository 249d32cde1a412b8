package org.tunnelwatch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEndpoint;
import org.tunnelwatch.ipsec.ike.IkePeerProbe;

/**
 * What the IKE ping's outcomes mean for a teardown, on loopback (the answered case, against a
 * real charon, is in the lab: IkePeerProbeIT and SharedRepairsIT's hub crash).
 */
class IkePeerCheckTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final IkePeerCheck check = new IkePeerCheck(new IkePeerProbe(), Duration.ofMillis(300));

  private static IkeSa sa(Optional<SaEndpoint> local, Optional<SaEndpoint> remote) {
    return new IkeSa("sg1-sgcentral", 1, "ESTABLISHED", List.of(), OptionalLong.of(60), local, remote);
  }

  @Test
  void aSilentPeerHoldsTheTeardownBackAndSaysWhy() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      Optional<String> why = check.whyWait(sa(Optional.empty(), Optional.of(new SaEndpoint(LOOPBACK, silent.getLocalPort()))));
      assertThat(why).hasValueSatisfying(w -> assertThat(w)
          .startsWith("the peer 127.0.0.1:" + silent.getLocalPort() + " does not answer IKE (2 IKE_SA_INIT probes")
          .endsWith("once it is back"));
    }
  }

  @Test
  void aPeerWhereNothingListensHoldsItBackToo() throws Exception {
    int closed;
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      closed = s.getLocalPort();
    }
    Optional<String> why = check.whyWait(sa(Optional.empty(), Optional.of(new SaEndpoint(LOOPBACK, closed))));
    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("cannot be reached for IKE (port unreachable"));
  }

  @Test
  void withoutThePeersAddressNothingIsAsked() {
    assertThat(check.whyWait(sa(Optional.empty(), Optional.empty()))).isEmpty();
  }

  @Test
  void aLocalAddressTheGatewayNoLongerHasDoesNotHoldTheRestartThatWouldMendIt() throws Exception {
    // 192.0.2.77 is on no interface of this machine: bind fails before anything is sent.
    Optional<SaEndpoint> gone = Optional.of(new SaEndpoint(InetAddress.getByName("192.0.2.77"), 4500));
    assertThat(check.whyWait(sa(gone, Optional.of(new SaEndpoint(LOOPBACK, 4500))))).isEmpty();
  }
}
