package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever arrives on a socket, the decoder answers without throwing, and a reply counts only
 * when identifier, sequence, payload and sender all match an echo that is waiting.
 */
class EchoCodecProperties {

  private static final long TAG = 0x5eed5eed5eed5eedL;
  private static final byte[] TARGET = {(byte) 198, 51, 100, 7};

  @Property(tries = 3000)
  void arbitraryBytesNeverThrow(
      @ForAll @Size(max = 120) byte[] bytes,
      @ForAll @IntRange(min = -5, max = 200) int claimedLength,
      @ForAll boolean ipv6,
      @ForAll boolean withHeader) {
    ReplyView view = new ReplyView();
    EchoCodec.Decoded decoded = EchoCodec.decode(bytes, claimedLength, ipv6, withHeader && !ipv6, view);
    if (decoded == EchoCodec.Decoded.ECHO_REPLY) {
      assertThat(view.sequence).isBetween(0, 0xffff);
      assertThat(view.identifier).isBetween(0, 0xffff);
      assertThat(view.payloadLength).isNotNegative();
    }
  }

  /** One table for all tries of a property (jqwik keeps the instance): each try takes a new sequence. */
  private final EchoTable shared = new EchoTable(TAG);

  @Property(tries = 3000)
  void damagedRealRepliesNeverThrowAndNeverMatchWithADamagedPayload(
      @ForAll @IntRange(min = 0, max = 43) int at, @ForAll byte xor, @ForAll @IntRange(min = 0, max = 44) int cut) {
    EchoTable table = shared;
    ProbeFlight flight = flightTo(TARGET);
    int seq = table.reserve(flight, 0, 0x4242, 99);
    byte[] packet = EchoCodecTest.withIpv4Header(reply(0x4242, seq, TAG, 99), 5);
    packet[at] ^= xor;
    ReplyView view = new ReplyView();
    EchoCodec.Decoded decoded = EchoCodec.decode(packet, Math.min(cut, packet.length), false, true, view);
    if (decoded == EchoCodec.Decoded.ECHO_REPLY && table.match(view, TARGET, 0, 4, 1) == EchoTable.Match.ANSWER) {
      // Only damage the checksum cannot see may pass: none in the fields that decide a match.
      assertThat(xor == 0 || at < 20).as("damage at byte %d passed", at).isTrue();
      assertThat(cut).isEqualTo(44);
    }
  }

  @Property(tries = 300)
  void aReplyMatchesOnlyWhenEveryFieldIsRight(
      @ForAll @IntRange(min = 0, max = 4) int wrongField, @ForAll @IntRange(min = 1, max = 0xffff) int delta) {
    EchoTable table = new EchoTable(TAG);
    ProbeFlight flight = flightTo(TARGET);
    int seq = table.reserve(flight, 0, 0x4242, 99);
    int id = 0x4242;
    long tag = TAG;
    long serial = 99;
    byte[] from = TARGET.clone();
    switch (wrongField) {
      case 0 -> id = (id + delta) & 0xffff;
      case 1 -> seq = (seq + delta) & 0xffff;
      case 2 -> tag ^= delta;
      case 3 -> serial += delta;
      case 4 -> from[3] ^= (byte) delta == 0 ? 1 : (byte) delta;
      default -> throw new IllegalStateException();
    }
    ReplyView view = new ReplyView();
    byte[] packet = reply(id, seq, tag, serial);
    assertThat(EchoCodec.decode(packet, packet.length, false, false, view)).isEqualTo(EchoCodec.Decoded.ECHO_REPLY);
    assertThat(table.match(view, from, 0, 4, 1)).isNotEqualTo(EchoTable.Match.ANSWER);
    assertThat(table.waiting()).isEqualTo(1);
  }

  static ProbeFlight flightTo(byte[] target) {
    ProbeFlight flight = new ProbeFlight(0);
    System.arraycopy(target, 0, flight.target, 0, target.length);
    flight.targetLength = target.length;
    return flight;
  }

  /** An ICMPv4 echo reply with a correct checksum. */
  static byte[] reply(int id, int seq, long tag, long serial) {
    byte[] packet = new byte[EchoCodec.REQUEST_BYTES];
    EchoCodec.encodeRequest(false, id, seq, tag, serial, packet);
    packet[0] = (byte) EchoCodec.ECHO_REPLY_V4;
    packet[2] = 0;
    packet[3] = 0;
    int sum = EchoCodec.checksum(packet, 0, packet.length);
    packet[2] = (byte) (sum >>> 8);
    packet[3] = (byte) sum;
    return packet;
  }
}
