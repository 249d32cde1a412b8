package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec's promises for generated messages (the same 300 at every run): round trips, and a
 * shorter message or a clean error for a truncated one. Hostile bytes are {@link ViciCodecFuzzTest}'s.
 */
class ViciCodecPropertiesTest {

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyMessageSurvivesEncodeAndDecode(long seed) throws Exception {
    ViciMessage message = message(new Random(seed), 3);
    assertThat(ViciCodec.decode(ViciCodec.encode(message))).isEqualTo(message);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyPacketSurvivesEncodeAndDecode(long seed) throws Exception {
    Random random = new Random(seed);
    PacketType type = PacketType.values()[random.nextInt(PacketType.values().length)];
    String name = name(random);
    ViciMessage message = message(random, 2);
    Packet packet = new Packet(type, type.named() ? name : "", type.hasMessage() ? message : ViciMessage.empty());
    assertThat(Packet.decode(packet.encode())).isEqualTo(packet);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aTruncatedMessageIsAnErrorOrAShorterMessage(long seed) {
    Random random = new Random(seed);
    ViciMessage message = message(random, 3);
    byte[] encoded = ViciCodec.encode(message);
    if (encoded.length == 0) {
      return;
    }
    byte[] truncated = Arrays.copyOf(encoded, random.nextInt(encoded.length));
    try {
      ViciMessage decoded = ViciCodec.decode(truncated);
      assertThat(decoded.entries().size()).isLessThanOrEqualTo(message.entries().size());
    } catch (ViciProtocolException e) {
      assertThat(e.getMessage()).startsWith("bad VICI message");
    }
  }

  @Test
  void aNameThatIsNotUtf8IsAnErrorNotAnotherName() {
    // CMD_KEY_VALUE (3), a name of one byte 0xFF, a value of one byte.
    byte[] damaged = {3, 1, (byte) 0xFF, 0, 1, 'x'};
    assertThatThrownBy(() -> ViciCodec.decode(damaged))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageEndingWith("name is not UTF-8");
  }

  @Test
  void anEventNameThatIsNotUtf8IsAnErrorNotAnotherName() {
    // EVENT (7), a name of two bytes 0xFF 0xFF, an empty message. Decoded leniently, the name
    // would be two U+FFFD: another name, six bytes long.
    byte[] damaged = {7, 2, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> Packet.decode(damaged))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessage("EVENT packet name is not UTF-8");
  }

  /** Up to five entries: values, lists and (down to {@code depth}) sections, names unique. */
  private static ViciMessage message(Random random, int depth) {
    ViciMessage.Builder builder = ViciMessage.builder();
    int entries = random.nextInt(6);
    for (int i = 0; i < entries; i++) {
      String name = name(random);
      if (builder.has(name)) {
        continue;
      }
      switch (random.nextInt(depth == 0 ? 2 : 3)) {
        case 0 -> builder.put(name, new ViciMessage.Value(value(random)));
        case 1 -> {
          List<ViciValue> items = new ArrayList<>();
          for (int n = random.nextInt(5); n > 0; n--) {
            items.add(value(random));
          }
          builder.put(name, new ViciMessage.Items(items));
        }
        default -> builder.put(name, new ViciMessage.Section(message(random, depth - 1)));
      }
    }
    return builder.build();
  }

  /** ASCII as the README asks, up to the 8-bit length limit, empty names included. */
  private static String name(Random random) {
    int length = random.nextInt(21) == 0 ? 255 : random.nextInt(13);
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < length; i++) {
      name.append((char) random.nextInt(128));
    }
    return name.toString();
  }

  /** Text (any code point), raw bytes, or a value of the largest length the format allows. */
  private static ViciValue value(Random random) {
    switch (random.nextInt(5)) {
      case 0, 1 -> {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(41); n > 0; n--) {
          int c = random.nextInt(Character.MAX_CODE_POINT + 1);
          text.appendCodePoint(Character.isSurrogate((char) c) && c <= 0xFFFF ? 'x' : c);
        }
        return ViciValue.of(text.toString());
      }
      case 2, 3 -> {
        byte[] bytes = new byte[random.nextInt(41)];
        random.nextBytes(bytes);
        return ViciValue.of(bytes);
      }
      default -> {
        return ViciValue.of(new byte[ViciValue.MAX_LENGTH]);
      }
    }
  }
}
