package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEndpoint;
import org.tunnelwatch.ipsec.SaEventListener;

/** The SA model and the SA events, read from messages recorded from real charon. */
class RecordedMessagesTest {

  static ViciMessage recorded(String name) throws IOException {
    try (InputStream in = RecordedMessagesTest.class.getResourceAsStream("/fixtures/vici/" + name)) {
      return ViciCodec.decode(in.readAllBytes());
    }
  }

  static SaEndpoint endpoint(String host, int port) {
    return SaEndpoint.parse(Optional.of(host), Optional.of(String.valueOf(port))).orElseThrow();
  }

  @Nested
  class ListSas {

    @Test
    void anInstalledTunnelBecomesExactlyThisModel() throws Exception {
      List<IkeSa> sas = ViciSaParser.parse(List.of(recorded("list-sa-installed.bin")));

      assertThat(sas)
          .containsExactly(
              new IkeSa(
                  "sg1-sgcentral", 3, "ESTABLISHED",
                  List.of(new ChildSa("net", 2, "INSTALLED", 84, 84, 1, 1, OptionalLong.of(242))),
                  OptionalLong.of(242),
                  Optional.of(endpoint("192.0.2.2", 4500)),
                  Optional.of(endpoint("192.0.2.1", 4500))));
    }

    @Test
    void endpointsThatAreMissingOrNotAddressesAreEmpty() {
      ViciMessage ike =
          ViciMessage.builder().add("local-host", "gw.example").add("local-port", "500").add("remote-host", "192.0.2.1").build();
      IkeSa sa = ViciSaParser.ikeSa("a", ike);
      assertThat(sa.local()).isEmpty();
      assertThat(sa.remote()).isEmpty();
    }

    @Test
    void theRecordingRoundTripsByteForByte() throws Exception {
      byte[] bytes;
      try (InputStream in = getClass().getResourceAsStream("/fixtures/vici/child-rekey.bin")) {
        bytes = in.readAllBytes();
      }
      assertThat(ViciCodec.encode(ViciCodec.decode(bytes))).isEqualTo(bytes);
    }

    @Test
    void countersAndIdleTimeAreRead() {
      ViciMessage child =
          ViciMessage.builder()
              .add("name", "net").add("uniqueid", "7").add("state", "INSTALLED")
              .add("bytes-in", "840").add("packets-in", "10").add("use-in", "3")
              .add("bytes-out", "420").add("packets-out", "5")
              .build();
      assertThat(ViciSaParser.childSa("net-7", child))
          .isEqualTo(new ChildSa("net", 7, "INSTALLED", 840, 420, 10, 5, OptionalLong.of(3)));
    }

    @Test
    void missingOrMalformedNumbersReadAsZeroOrAbsent() {
      ViciMessage child = ViciMessage.builder().add("bytes-in", "-1").add("use-in", "soon").build();
      assertThat(ViciSaParser.childSa("net-7", child))
          .isEqualTo(new ChildSa("net-7", 0, "UNKNOWN", 0, 0, 0, 0, OptionalLong.empty()));
    }
  }

  @Nested
  class SaEvents {

    private final List<String> heard = new ArrayList<>();
    private final ViciSaEvents events =
        new ViciSaEvents(
            new SaEventListener() {
              @Override
              public void saDown(String ike, Optional<String> child, String event) {
                heard.add(event + " " + ike + "/" + child.orElse("*"));
              }

              @Override
              public void resync() {
                heard.add("resync");
              }
            });

    @Test
    void aChildDownEventNamesTheIkeAndTheChild() throws Exception {
      events.event("child-updown", recorded("child-updown-down.bin"));
      assertThat(heard).containsExactly("child-updown sg1-sgcentral/net");
    }

    @Test
    void anIkeDownEventNamesTheIkeAndAllItsChildren() throws Exception {
      events.event("ike-updown", recorded("ike-updown-down.bin"));
      assertThat(heard).containsExactly("ike-updown sg1-sgcentral/*");
    }

    @Test
    void upEventsAndRekeysAreNotDownEvents() throws Exception {
      events.event("child-updown", recorded("child-updown-up.bin"));
      events.event("ike-updown", recorded("ike-updown-up.bin"));
      events.event("child-rekey", recorded("child-rekey.bin"));
      assertThat(heard).isEmpty();
    }

    @Test
    void onlyASecondSubscriptionAsksForAResync() {
      events.subscribed(false);
      events.subscribed(true);
      assertThat(heard).containsExactly("resync");
    }
  }
}
