package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Fixtures;

class PingOutputParserTest {

  private static final InetAddress TARGET = InetAddress.getLoopbackAddress();

  @Test
  void threeRepliesGiveThreeRtts() {
    EchoResult result = PingOutputParser.parse(TARGET, Fixtures.read("ping/ping-ok.txt")).orElseThrow();
    assertThat(result.sent()).isEqualTo(3);
    assertThat(result.received()).isEqualTo(3);
    assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
    assertThat(result.rtts()).allSatisfy(rtt -> assertThat(rtt).isBetween(Duration.ofMillis(1), Duration.ofMillis(2)));
  }

  @Test
  void partialLossIsStillASuccessWithFewerReplies() {
    EchoResult result = PingOutputParser.parse(TARGET, Fixtures.read("ping/ping-partial-loss.txt")).orElseThrow();
    assertThat(result.sent()).isEqualTo(3);
    assertThat(result.received()).isBetween(1, 2);
    assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
  }

  @Test
  void noReplyIsATimeout() {
    EchoResult result = PingOutputParser.parse(TARGET, Fixtures.read("ping/ping-all-lost.txt")).orElseThrow();
    assertThat(result.sent()).isEqualTo(3);
    assertThat(result.received()).isZero();
    assertThat(result.status()).isEqualTo(EchoStatus.TIMEOUT);
  }

  @Test
  void aSourceAddressNoInterfaceHoldsGivesNoResult() {
    assertThat(PingOutputParser.parse(TARGET, Fixtures.read("ping/ping-bad-source-address.txt"))).isEmpty();
  }

  @Test
  void duplicateRepliesCountOnce() {
    String output =
        """
        PING 203.0.113.1 (203.0.113.1) from 198.51.100.1 : 56(84) bytes of data.
        64 bytes from 203.0.113.1: icmp_seq=1 ttl=64 time=1.15 ms
        64 bytes from 203.0.113.1: icmp_seq=1 ttl=64 time=1.20 ms (DUP!)
        64 bytes from 203.0.113.1: icmp_seq=2 ttl=64 time=1.09 ms

        --- 203.0.113.1 ping statistics ---
        3 packets transmitted, 2 received, +1 duplicates, 33.3333% packet loss, time 401ms
        """;
    EchoResult result = PingOutputParser.parse(TARGET, output).orElseThrow();
    assertThat(result.received()).isEqualTo(2);
    assertThat(result.rtts()).containsExactly(Duration.ofNanos(1_150_000), Duration.ofNanos(1_090_000));
  }

  @Test
  void neverReportsMoreRepliesThanWereSent() {
    String output =
        """
        64 bytes from 203.0.113.1: icmp_seq=1 ttl=64 time=1.15 ms
        64 bytes from 203.0.113.1: icmp_seq=2 ttl=64 time=1.15 ms
        1 packets transmitted, 2 received, 0% packet loss, time 0ms
        """;
    assertThat(PingOutputParser.parse(TARGET, output).orElseThrow().received()).isEqualTo(1);
  }

  @Test
  void garbageGivesNoResult() {
    assertThat(PingOutputParser.parse(TARGET, "\u0000\u00ff garbage\n time=abc ms\n")).isEmpty();
    assertThat(PingOutputParser.parse(TARGET, "")).isEmpty();
  }

  /** Found by {@link PingOutputParserFuzzTest}: each of these threw NumberFormatException. */
  @Test
  void numbersPingNeverPrintsMakeALineThatIsNotPings() {
    String output =
        """
        64 bytes from 203.0.113.1: icmp_seq=1 ttl=64 time=1.2. ms
        64 bytes from 203.0.113.1: icmp_seq=99999999999 ttl=64 time=1.15 ms
        64 bytes from 203.0.113.1: icmp_seq=3 ttl=64 time=1.15 ms
        3 packets transmitted, 1 received, 66% packet loss, time 2003ms
        """;
    assertThat(PingOutputParser.parse(TARGET, output).orElseThrow().received()).isEqualTo(1);
    assertThat(PingOutputParser.parse(TARGET, "99999999999 packets transmitted, 0 received\n")).isEmpty();
  }
}
