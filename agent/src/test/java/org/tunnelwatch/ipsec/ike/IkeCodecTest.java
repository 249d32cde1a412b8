package org.tunnelwatch.ipsec.ike;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IkeCodecTest {

  private static final long SPI = 0x0102030405060708L;

  private static IkeReply parse(byte[] datagram) {
    return IkeResponseParser.parse(ByteBuffer.wrap(datagram), SPI);
  }

  private static IkeReply.NotAnAnswer ignored(byte[] datagram) {
    IkeReply reply = parse(datagram);
    assertThat(reply).isInstanceOf(IkeReply.NotAnAnswer.class);
    return (IkeReply.NotAnAnswer) reply;
  }

  @Nested
  class Request {

    private final IkeSaInitRequest request = IkeSaInitRequest.create(new Random(7));
    private final ByteBuffer bytes = ByteBuffer.wrap(request.bytes());

    @Test
    void theHeaderIsAnInitiatorsFirstIkeSaInit() {
      assertThat(bytes.getLong(0)).isEqualTo(request.initiatorSpi()).isNotZero();
      assertThat(bytes.getLong(8)).as("responder SPI").isZero();
      assertThat(bytes.get(16)).as("next payload").isEqualTo((byte) 33);
      assertThat(bytes.get(17)).as("version").isEqualTo((byte) 0x20);
      assertThat(bytes.get(18)).as("exchange").isEqualTo((byte) 34);
      assertThat(bytes.get(19)).as("flags").isEqualTo((byte) 0x08);
      assertThat(bytes.getInt(20)).as("message ID").isZero();
      assertThat(bytes.getInt(24)).as("length").isEqualTo(bytes.capacity());
    }

    @Test
    void itCarriesSaKeAndNonceInThatOrderWithConsistentLengths() {
      // SA: 4 + proposal 8 + 4 transforms of 8; KE: 4 + group/reserved 4 + 96; Nonce: 4 + 32.
      assertThat(bytes.capacity()).isEqualTo(28 + 44 + 104 + 36);
      assertThat(payloadAt(28)).containsExactly(34, 44);
      assertThat(payloadAt(72)).containsExactly(40, 104);
      assertThat(payloadAt(176)).containsExactly(0, 36);
    }

    @Test
    void theProposalIsOneIkeProposalThatNoConfigurationCanAccept() {
      int p = 32;
      assertThat(bytes.get(p)).as("last proposal").isZero();
      assertThat(bytes.getShort(p + 2)).isEqualTo((short) 40);
      assertThat(bytes.get(p + 4)).as("proposal number").isEqualTo((byte) 1);
      assertThat(bytes.get(p + 5)).as("protocol IKE").isEqualTo((byte) 1);
      assertThat(bytes.get(p + 6)).as("SPI size").isZero();
      assertThat(bytes.get(p + 7)).as("transforms").isEqualTo((byte) 4);
      int[][] expected = {{3, 1, 65001}, {3, 2, 65001}, {3, 3, 65001}, {0, 4, 1}};
      for (int i = 0; i < 4; i++) {
        int t = p + 8 + 8 * i;
        assertThat(new int[] {bytes.get(t), bytes.get(t + 4), bytes.getShort(t + 6) & 0xffff})
            .as("transform " + i).containsExactly(expected[i]);
        assertThat(bytes.getShort(t + 2)).isEqualTo((short) 8);
      }
    }

    @Test
    void theKeyExchangeIsForTheProposedGroupAndBelowItsModulus() {
      assertThat(bytes.getShort(76)).as("DH group").isEqualTo((short) 1);
      assertThat(bytes.get(80) & 0x80).isZero();
    }

    @Test
    void eachRequestHasItsOwnSpiAndNonce() {
      IkeSaInitRequest other = IkeSaInitRequest.create(new Random(8));
      assertThat(other.initiatorSpi()).isNotEqualTo(request.initiatorSpi());
      assertThat(ByteBuffer.wrap(other.bytes(), 180, 32)).isNotEqualTo(ByteBuffer.wrap(request.bytes(), 180, 32));
    }

    private int[] payloadAt(int offset) {
      return new int[] {bytes.get(offset), bytes.getShort(offset + 2)};
    }
  }

  @Nested
  class Response {

    @Test
    void noProposalChosenIsAnAnswer() {
      assertThat(parse(IkeTestMessages.noProposalChosen(SPI)))
          .isEqualTo(new IkeReply.Answer("NO_PROPOSAL_CHOSEN", List.of(14), false));
    }

    @Test
    void invalidKeAndCookieAreAnswersToo() {
      assertThat(parse(IkeTestMessages.notifyResponse(SPI, 17))).extracting("what").isEqualTo("INVALID_KE_PAYLOAD");
      assertThat(parse(IkeTestMessages.notifyResponse(SPI, 16390))).extracting("what").isEqualTo("COOKIE");
      assertThat(parse(IkeTestMessages.notifyResponse(SPI, 9999))).extracting("what").isEqualTo("NOTIFY(9999)");
    }

    @Test
    void aRealSaAnswerSaysSo() {
      byte[] answer =
          IkeEncoder.message(SPI, 5, 34, 0x20, 0,
              List.of(new IkeEncoder.Payload(33, new byte[8]), new IkeEncoder.Payload(41, IkeEncoder.notifyBody(16388, new byte[20]))));
      assertThat(parse(answer)).isEqualTo(new IkeReply.Answer("SA", List.of(16388), true));
    }

    @Test
    void anotherSpiIsNotOurAnswer() {
      assertThat(ignored(IkeTestMessages.noProposalChosen(SPI + 1)).reason()).startsWith("another initiator SPI");
    }

    @Test
    void anotherExchangeIsNotOurAnswer() {
      byte[] informational = IkeEncoder.message(SPI, 5, 37, 0x20, 0, List.of());
      assertThat(ignored(informational).reason()).isEqualTo("exchange 37, not IKE_SA_INIT");
    }

    @Test
    void aRequestIsNotAnAnswer() {
      // Our own request looped back, say.
      IkeSaInitRequest request = IkeSaInitRequest.of(SPI, new byte[32], new byte[96]);
      assertThat(ignored(request.bytes()).reason()).isEqualTo("a request, not a response");
    }

    @Test
    void ikev1OrAnotherMessageIdIsNotAnAnswer() {
      byte[] v1 = IkeTestMessages.noProposalChosen(SPI);
      v1[17] = 0x10;
      assertThat(ignored(v1).reason()).startsWith("not IKEv2");
      byte[] laterMessage = IkeEncoder.message(SPI, 5, 34, 0x20, 1, List.of());
      assertThat(ignored(laterMessage).reason()).isEqualTo("message ID 1, not 0");
    }

    @Test
    void truncatedInputIsNotAnAnswer() {
      byte[] answer = IkeTestMessages.noProposalChosen(SPI);
      for (int cut = 0; cut < answer.length; cut++) {
        byte[] part = java.util.Arrays.copyOf(answer, cut);
        assertThat(parse(part)).as("cut at " + cut).isInstanceOf(IkeReply.NotAnAnswer.class);
      }
    }

    @Test
    void badPayloadLengthsAreNotAnAnswer() {
      byte[] answer = IkeTestMessages.noProposalChosen(SPI);
      answer[31] = 2; // payload length below its own header
      assertThat(ignored(answer).reason()).contains("bad length 2");
      byte[] overlong = IkeTestMessages.noProposalChosen(SPI);
      overlong[31] = 100;
      assertThat(ignored(overlong).reason()).contains("bad length 100");
    }

    @Test
    void garbageNeverThrows() {
      Random random = new Random(42);
      for (int i = 0; i < 20_000; i++) {
        byte[] junk = new byte[random.nextInt(120)];
        random.nextBytes(junk);
        if (junk.length >= 8 && random.nextBoolean()) {
          ByteBuffer.wrap(junk).putLong(0, SPI); // get past the SPI check to the deeper ones
        }
        assertThat(parse(junk)).isNotNull();
      }
    }

    @Test
    void theBufferIsReadFromItsPositionAndLeftAlone() {
      byte[] answer = IkeTestMessages.noProposalChosen(SPI);
      ByteBuffer buffer = ByteBuffer.allocate(answer.length + 10);
      buffer.position(10);
      buffer.put(answer);
      buffer.position(10);
      assertThat(IkeResponseParser.parse(buffer, SPI)).isInstanceOf(IkeReply.Answer.class);
      assertThat(buffer.position()).isEqualTo(10);
    }
  }

  @Nested
  class Marker {

    @Test
    void theMarkerIsFourZeroBytesBeforeTheMessage() {
      byte[] request = IkeSaInitRequest.create(new Random(1)).bytes();
      byte[] marked = NonEspMarker.prepend(request);
      assertThat(marked).startsWith(0, 0, 0, 0);
      assertThat(ByteBuffer.wrap(marked, 4, request.length)).isEqualTo(ByteBuffer.wrap(request));
    }

    @Test
    void strippingGivesBackTheIkeMessage() {
      byte[] marked = NonEspMarker.prepend(IkeTestMessages.noProposalChosen(SPI));
      ByteBuffer ike = NonEspMarker.strip(ByteBuffer.wrap(marked)).orElseThrow();
      assertThat(IkeResponseParser.parse(ike, SPI)).extracting("what").isEqualTo("NO_PROPOSAL_CHOSEN");
    }

    @Test
    void espAndKeepalivesHaveNoMarker() {
      assertThat(NonEspMarker.strip(ByteBuffer.wrap(new byte[] {(byte) 0xce, 0x21, 0x5e, (byte) 0xaf, 0, 0, 0, 1}))).isEmpty();
      assertThat(NonEspMarker.strip(ByteBuffer.wrap(new byte[] {(byte) 0xff}))).isEmpty();
      assertThat(NonEspMarker.usedOn(4500)).isTrue();
      assertThat(NonEspMarker.usedOn(500)).isFalse();
    }
  }
}
