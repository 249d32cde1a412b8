package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import org.tunnelwatch.fuzz.FuzzBudget;

/**
 * Whatever arrives on an ICMP socket, with whatever length the kernel claims, the decoder answers
 * without throwing, and what it calls an echo reply has fields in range. Corpus: {@code
 * EchoCodecFuzzTestInputs/anyDatagramDecodesWithoutThrowing}.
 */
class EchoCodecFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyDatagramDecodesWithoutThrowing(FuzzedDataProvider data) {
    int claimedLength = data.consumeInt(-5, 200);
    boolean ipv6 = data.consumeBoolean();
    boolean withHeader = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();
    ReplyView view = new ReplyView();
    EchoCodec.Decoded decoded = EchoCodec.decode(bytes, claimedLength, ipv6, withHeader && !ipv6, view);
    if (decoded == EchoCodec.Decoded.ECHO_REPLY) {
      assertThat(view.sequence).isBetween(0, 0xffff);
      assertThat(view.identifier).isBetween(0, 0xffff);
      assertThat(view.payloadLength).isNotNegative();
    }
  }
}
