package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EchoCodecTest {

  private static final long TAG = 0x0102030405060708L;
  private final ReplyView view = new ReplyView();

  /** An echo request turned into its reply, as a host answering it would. */
  private static byte[] replyTo(byte[] request, int length, boolean ipv6) {
    byte[] reply = java.util.Arrays.copyOf(request, length);
    reply[0] = (byte) (ipv6 ? EchoCodec.ECHO_REPLY_V6 : EchoCodec.ECHO_REPLY_V4);
    reply[2] = 0;
    reply[3] = 0;
    if (!ipv6) {
      int sum = EchoCodec.checksum(reply, 0, length);
      reply[2] = (byte) (sum >>> 8);
      reply[3] = (byte) sum;
    }
    return reply;
  }

  /** A minimal IPv4 header (protocol ICMP) in front of an ICMP message. */
  static byte[] withIpv4Header(byte[] icmp, int ihlWords) {
    byte[] packet = new byte[ihlWords * 4 + icmp.length];
    packet[0] = (byte) (0x40 | ihlWords);
    packet[9] = 1;
    System.arraycopy(icmp, 0, packet, ihlWords * 4, icmp.length);
    return packet;
  }

  @Nested
  class Requests {

    @Test
    void anIpv4RequestIsTypeEightWithAChecksumThatVerifies() {
      byte[] out = new byte[64];
      int length = EchoCodec.encodeRequest(false, 0x1234, 0xabcd, TAG, 42, out);
      assertThat(length).isEqualTo(24);
      assertThat(HexFormat.of().formatHex(out, 0, 8)).startsWith("0800").endsWith("1234abcd");
      assertThat(EchoCodec.checksum(out, 0, length)).isZero();
    }

    @Test
    void anIpv6RequestLeavesTheChecksumToTheKernel() {
      byte[] out = new byte[64];
      EchoCodec.encodeRequest(true, 7, 9, TAG, 42, out);
      assertThat(HexFormat.of().formatHex(out, 0, 8)).isEqualTo("8000000000070009");
    }

    @Test
    void theChecksumOfAnOddLengthPadsWithZero() {
      // RFC 1071's example, bytes 00 01 f2 03 f4 f5 f6 f7: sum ddf2, complement 220d.
      byte[] data = HexFormat.of().parseHex("0001f203f4f5f6f7");
      assertThat(EchoCodec.checksum(data, 0, 8)).isEqualTo(0x220d);
      assertThat(EchoCodec.checksum(new byte[] {(byte) 0xff}, 0, 1)).isEqualTo(0x00ff);
    }
  }

  @Nested
  class Replies {

    @Test
    void aReplyFromAPingSocketDecodesToTheFieldsSent() {
      byte[] request = new byte[64];
      int length = EchoCodec.encodeRequest(false, 0x1234, 77, TAG, 42, request);
      assertThat(EchoCodec.decode(replyTo(request, length, false), length, false, false, view))
          .isEqualTo(EchoCodec.Decoded.ECHO_REPLY);
      assertThat(view.identifier).isEqualTo(0x1234);
      assertThat(view.sequence).isEqualTo(77);
      assertThat(view.tag).isEqualTo(TAG);
      assertThat(view.serial).isEqualTo(42);
      assertThat(view.hasOurPayloadShape()).isTrue();
    }

    @Test
    void aRawIpv4ReplySkipsTheIpHeaderWhateverItsLength() {
      byte[] request = new byte[64];
      int length = EchoCodec.encodeRequest(false, 5, 6, TAG, 7, request);
      byte[] packet = withIpv4Header(replyTo(request, length, false), 6); // 24 bytes: with options
      assertThat(EchoCodec.decode(packet, packet.length, false, true, view)).isEqualTo(EchoCodec.Decoded.ECHO_REPLY);
      assertThat(view.sequence).isEqualTo(6);
      assertThat(view.serial).isEqualTo(7);
    }

    @Test
    void anIpv6ReplyDecodes() {
      byte[] request = new byte[64];
      int length = EchoCodec.encodeRequest(true, 5, 6, TAG, 7, request);
      assertThat(EchoCodec.decode(replyTo(request, length, true), length, true, false, view))
          .isEqualTo(EchoCodec.Decoded.ECHO_REPLY);
      assertThat(view.identifier).isEqualTo(5);
    }

    @Test
    void ourOwnRequestSeenOnLoopbackIsNotAReply() {
      byte[] request = new byte[64];
      int length = EchoCodec.encodeRequest(false, 5, 6, TAG, 7, request);
      assertThat(EchoCodec.decode(request, length, false, false, view)).isEqualTo(EchoCodec.Decoded.OTHER_ICMP);
    }

    @Test
    void aBadChecksumIsMalformed() {
      byte[] request = new byte[64];
      int length = EchoCodec.encodeRequest(false, 5, 6, TAG, 7, request);
      byte[] reply = replyTo(request, length, false);
      reply[20] ^= 1;
      assertThat(EchoCodec.decode(reply, length, false, false, view)).isEqualTo(EchoCodec.Decoded.MALFORMED);
    }

    @Test
    void shortOrNonIcmpPacketsAreMalformed() {
      assertThat(EchoCodec.decode(new byte[7], 7, false, false, view)).isEqualTo(EchoCodec.Decoded.MALFORMED);
      byte[] udp = withIpv4Header(new byte[8], 5);
      udp[9] = 17;
      assertThat(EchoCodec.decode(udp, udp.length, false, true, view)).isEqualTo(EchoCodec.Decoded.MALFORMED);
      byte[] v6Header = withIpv4Header(new byte[8], 5);
      v6Header[0] = 0x65;
      assertThat(EchoCodec.decode(v6Header, v6Header.length, false, true, view)).isEqualTo(EchoCodec.Decoded.MALFORMED);
    }

    @Test
    void aShortPayloadIsNotOurs() {
      byte[] request = new byte[64];
      EchoCodec.encodeRequest(true, 5, 6, TAG, 7, request);
      byte[] reply = replyTo(request, 12, true);
      assertThat(EchoCodec.decode(reply, 12, true, false, view)).isEqualTo(EchoCodec.Decoded.ECHO_REPLY);
      assertThat(view.hasOurPayloadShape()).isFalse();
    }
  }
}
