package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The codec's promises for any input: round trips, and a clean error for anything broken. */
class ViciCodecPropertiesTest {

  @Property(tries = 300)
  void anyMessageSurvivesEncodeAndDecode(@ForAll("messages") ViciMessage message) throws Exception {
    assertThat(ViciCodec.decode(ViciCodec.encode(message))).isEqualTo(message);
  }

  @Property(tries = 300)
  void anyPacketSurvivesEncodeAndDecode(@ForAll("packets") Packet packet) throws Exception {
    assertThat(Packet.decode(packet.encode())).isEqualTo(packet);
  }

  @Property(tries = 1000)
  void garbageGivesAProtocolErrorOrAMessageAndNothingElse(@ForAll @Size(max = 300) byte[] garbage) {
    try {
      ViciMessage decoded = ViciCodec.decode(garbage);
      // Whatever decodes is a real message: it encodes back to the same bytes.
      assertThat(ViciCodec.encode(decoded)).isEqualTo(garbage);
    } catch (ViciProtocolException e) {
      assertThat(e.getMessage()).startsWith("bad VICI message at byte ").doesNotContain("\n");
    }
  }

  @Example
  void aNameThatIsNotUtf8IsAnErrorNotAnotherName() {
    // CMD_KEY_VALUE (3), a name of one byte 0xFF, a value of one byte.
    byte[] damaged = {3, 1, (byte) 0xFF, 0, 1, 'x'};
    assertThatThrownBy(() -> ViciCodec.decode(damaged))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageEndingWith("name is not UTF-8");
  }

  @Property(tries = 300)
  void aTruncatedMessageIsAnErrorOrAShorterMessage(
      @ForAll("messages") ViciMessage message, @ForAll @IntRange(min = 1, max = 1000) int cut) {
    byte[] encoded = ViciCodec.encode(message);
    if (encoded.length == 0) {
      return;
    }
    byte[] truncated = Arrays.copyOf(encoded, Math.max(0, encoded.length - 1 - (cut % encoded.length)));
    try {
      ViciMessage decoded = ViciCodec.decode(truncated);
      assertThat(decoded.entries().size()).isLessThanOrEqualTo(message.entries().size());
    } catch (ViciProtocolException e) {
      assertThat(e.getMessage()).startsWith("bad VICI message");
    }
  }

  @Property(tries = 1000)
  void garbagePacketsGiveAProtocolErrorOrAPacket(@ForAll @Size(max = 100) byte[] garbage) {
    try {
      Packet packet = Packet.decode(garbage);
      assertThat(packet.type()).isNotNull();
    } catch (ViciProtocolException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }

  @Provide
  Arbitrary<ViciMessage> messages() {
    return message(3);
  }

  @Provide
  Arbitrary<Packet> packets() {
    Arbitrary<PacketType> types = Arbitraries.of(PacketType.class);
    return Combinators.combine(types, names(), message(2))
        .as((type, name, message) ->
            new Packet(type, type.named() ? name : "", type.hasMessage() ? message : ViciMessage.empty()));
  }

  private Arbitrary<ViciMessage> message(int depth) {
    Arbitrary<ViciMessage.Entry> value = values().map(ViciMessage.Value::new);
    Arbitrary<ViciMessage.Entry> list = values().list().ofMaxSize(4).map(ViciMessage.Items::new);
    Arbitrary<ViciMessage.Entry> entry =
        depth == 0
            ? Arbitraries.oneOf(value, list)
            : Arbitraries.oneOf(value, list, Arbitraries.lazy(() -> message(depth - 1)).map(ViciMessage.Section::new));
    return Arbitraries.maps(names(), entry)
        .ofMaxSize(5)
        .map(entries -> {
          ViciMessage.Builder b = ViciMessage.builder();
          entries.forEach(b::put);
          return b.build();
        });
  }

  private Arbitrary<String> names() {
    // ASCII as the README asks, up to the 8-bit length limit, empty names included.
    return Arbitraries.frequencyOf(
      Tuple.of(20, Arbitraries.strings().ascii().ofMaxLength(12)),
      Tuple.of(1, Arbitraries.strings().ascii().ofLength(255)));
  }

  private Arbitrary<ViciValue> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40).map(ViciValue::of),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(ViciValue::of),
        Arbitraries.just(ViciValue.of(new byte[ViciValue.MAX_LENGTH])));
  }
}
