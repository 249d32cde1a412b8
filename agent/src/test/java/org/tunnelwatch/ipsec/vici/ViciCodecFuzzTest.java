package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever charon (or whatever sits on its socket) sends, decoding a frame gives a message or a
 * packet, or a one-line {@link ViciProtocolException}, never another exception. Corpora: {@code
 * ViciCodecFuzzTestInputs/anyMessageBytes...} (message bodies) and {@code ...anyFrame...} (whole
 * packets after the length prefix).
 */
class ViciCodecFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyMessageBytesDecodeToTheSameBytesOrFailCleanly(byte[] bytes) {
    try {
      ViciMessage decoded = ViciCodec.decode(bytes);
      // Whatever decodes is a real message: it encodes back to the same bytes.
      assertThat(ViciCodec.encode(decoded)).isEqualTo(bytes);
    } catch (ViciProtocolException e) {
      assertThat(e.getMessage()).startsWith("bad VICI message at byte ").doesNotContain("\n");
    }
  }

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyFrameDecodesToAPacketOrFailsCleanly(byte[] bytes) {
    try {
      Packet packet = Packet.decode(bytes);
      assertThat(packet.type()).isNotNull();
      assertThat(Packet.decode(packet.encode())).isEqualTo(packet);
    } catch (ViciProtocolException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }
}
