package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reply counts only when identifier, sequence, payload and sender all match an echo that is
 * waiting; checked over generated replies, the same ones at every run. Arbitrary bytes are
 * {@link EchoCodecFuzzTest}'s.
 */
class EchoCodecPropertiesTest {

  private static final long TAG = 0x5eed5eed5eed5eedL;
  private static final byte[] TARGET = {(byte) 198, 51, 100, 7};

  /** One table for all cases: each takes a new sequence, as on a busy socket. */
  private static final EchoTable SHARED = new EchoTable(TAG);

  static LongStream seeds(int count) {
    return LongStream.range(0, count);
  }

  static LongStream threeThousand() {
    return seeds(3000);
  }

  static LongStream threeHundred() {
    return seeds(300);
  }

  @ParameterizedTest
  @MethodSource("threeThousand")
  void damagedRealRepliesNeverThrowAndNeverMatchWithADamagedPayload(long seed) {
    Random random = new Random(seed);
    int at = random.nextInt(44);
    byte xor = (byte) random.nextInt(256);
    int cut = random.nextInt(45);
    EchoTable table = SHARED;
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

  @ParameterizedTest
  @MethodSource("threeHundred")
  void aReplyMatchesOnlyWhenEveryFieldIsRight(long seed) {
    Random random = new Random(seed);
    int wrongField = random.nextInt(5);
    int delta = 1 + random.nextInt(0xffff);
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
