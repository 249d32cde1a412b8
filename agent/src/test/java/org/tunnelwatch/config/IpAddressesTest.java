package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rejected input here is rejected by {@link IpAddresses}'s own syntax check before {@link
 * InetAddress} sees it, so no test in this class resolves a name.
 */
class IpAddressesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"192.168.1.1", "0.0.0.0", "255.255.255.255", "10.0.0.1", "1.2.3.4"})
  void ipv4LiteralsAreParsedToTheirBytes(String text) throws UnknownHostException {
    assertThat(IpAddresses.parseLiteral(text))
        .get()
        .isInstanceOf(Inet4Address.class)
        .isEqualTo(InetAddress.getByAddress(ipv4Bytes(text)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "::1", "::", "fe80::1", "2001:db8::", "2001:DB8::1", "2001:db8:0:0:0:0:0:1",
        "2001:db8::192.168.5.1"
      })
  void ipv6LiteralsAreParsed(String text) {
    assertThat(IpAddresses.parseLiteral(text)).get().isInstanceOf(Inet6Address.class);
  }

  @Test
  void parsedAddressesCarryNoHostName() {
    InetAddress address = IpAddresses.parseLiteral("192.168.5.1").orElseThrow();

    assertThat(address.toString()).isEqualTo("/192.168.5.1");
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(
      strings = {
        "localhost",
        "example.invalid",
        "gw.example.invalid",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.256",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3.-1",
        " 1.2.3.4",
        "1.2.3.4 ",
        "1.2.3.4/24",
        "[::1]",
        "fe80::1%eth0",
        "2001:db8::g",
        "2001:db8:::1",
        "1:2:3:4:5:6:7:8:9",
        "::ffff:1.2.3",
        "192.168.1.1:80",
        "0x7f.0.0.1",
        "2130706433",
      })
  void anythingButALiteralIsRejected(String text) {
    assertThat(IpAddresses.parseLiteral(text)).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void nothingIsNotAnAddress(String text) {
    assertThat(IpAddresses.parseLiteral(text)).isEmpty();
  }

  @Test
  void equalAddressesWrittenDifferentlyAreEqual() {
    assertThat(IpAddresses.parseLiteral("2001:DB8:0:0::1"))
        .isEqualTo(IpAddresses.parseLiteral("2001:db8::1"));
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "fe80:0:0:0:0:0:0:1, fe80::1",
    "2001:db8:0:0:0:0:0:0, 2001:db8::",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "1:0:0:0:0:0:0:0, 1::",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:DB8:00AB:0:0:0:0:CDEF, 2001:db8:ab::cdef",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
    "2001:db8::192.168.5.1, 2001:db8::c0a8:501",
  })
  void ipv6IsWrittenInItsRfc5952ShortForm(String text, String expected) {
    InetAddress address = IpAddresses.parseLiteral(text).orElseThrow();

    assertThat(IpAddresses.toText(address)).isEqualTo(expected);
  }

  @Test
  void aSingleZeroGroupIsNotShortened() {
    InetAddress address = IpAddresses.parseLiteral("2001:db8:0:1:1:1:1:1").orElseThrow();

    assertThat(IpAddresses.toText(address)).isEqualTo("2001:db8:0:1:1:1:1:1");
  }

  @Test
  void theLongestRunOfZeroGroupsIsShortenedNotTheFirst() {
    InetAddress address = IpAddresses.parseLiteral("1:0:0:2:0:0:0:3").orElseThrow();

    assertThat(IpAddresses.toText(address)).isEqualTo("1:0:0:2::3");
  }

  @Test
  void ofTwoEquallyLongRunsTheFirstIsShortened() {
    InetAddress address = IpAddresses.parseLiteral("1:0:0:2:3:0:0:4").orElseThrow();

    assertThat(IpAddresses.toText(address)).isEqualTo("1::2:3:0:0:4");
  }

  @Test
  void ipv4IsWrittenInDottedQuads() {
    InetAddress address = IpAddresses.parseLiteral("192.168.5.1").orElseThrow();

    assertThat(IpAddresses.toText(address)).isEqualTo("192.168.5.1");
  }

  @Test
  void theShortFormParsesBackToTheSameAddress() {
    for (String text : new String[] {"fe80::1", "2001:db8::", "::1", "1::2:3:0:0:4"}) {
      InetAddress address = IpAddresses.parseLiteral(text).orElseThrow();
      assertThat(IpAddresses.parseLiteral(IpAddresses.toText(address))).contains(address);
    }
  }

  private static byte[] ipv4Bytes(String text) {
    String[] parts = text.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return bytes;
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "\"{0}\" is not an IPv6 literal")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {".:1", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "g::1", ":1", "1:", "::ffff:1.2.3", "fe80::1%eth0", ":::"})
  void malformedIpv6IsRejectedBeforeAnyLookup(String text) {
    assertThat(IpAddresses.isIpv6Literal(text)).isFalse();
    assertThat(IpAddresses.parseLiteral(text)).isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "\"{0}\" is an IPv6 literal")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"::", "::1", "fe80::1", "2001:db8::", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "64:ff9b::198.51.100.7"})
  void wellFormedIpv6IsAccepted(String text) {
    assertThat(IpAddresses.isIpv6Literal(text)).isTrue();
  }
}
