package org.tunnelwatch.ipsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaEndpointTest {

  private static Optional<SaEndpoint> parse(String host, String port) {
    return SaEndpoint.parse(Optional.ofNullable(host), Optional.ofNullable(port));
  }

  @Test
  void ipv4AndIpv6LiteralsAreRead() {
    assertThat(parse("192.0.2.1", "500").map(SaEndpoint::toString)).contains("192.0.2.1:500");
    assertThat(parse("2001:db8::1", "4500").map(SaEndpoint::toString)).contains("[2001:db8:0:0:0:0:0:1]:4500");
  }

  @Test
  void namesAreNeverResolved() {
    // "beef" and "1.2.3.999" would send the JDK to DNS; they must simply not parse.
    assertThat(parse("beef", "500")).isEmpty();
    assertThat(parse("1.2.3.999", "500")).isEmpty();
    assertThat(parse("hub.example", "500")).isEmpty();
    assertThat(parse("%any", "500")).isEmpty();
  }

  @Test
  void portsOutOfRangeOrMissingGiveNothing() {
    assertThat(parse("192.0.2.1", "0")).isEmpty();
    assertThat(parse("192.0.2.1", "65536")).isEmpty();
    assertThat(parse("192.0.2.1", "-1")).isEmpty();
    assertThat(parse("192.0.2.1", null)).isEmpty();
    assertThat(parse(null, "500")).isEmpty();
  }
}
