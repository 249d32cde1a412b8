package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tunnelwatch.probe.icmp.EchoCodecPropertiesTest.flightTo;
import static org.tunnelwatch.probe.icmp.EchoCodecPropertiesTest.reply;

import org.junit.jupiter.api.Test;

/** Matching replies to echoes, without sockets: every way a reply can be wrong. */
class EchoTableTest {

  private static final long TAG = 77;
  private static final int ID = 0x1234;
  private static final byte[] TARGET = {(byte) 203, 0, 113, 9};
  private static final byte[] OTHER = {(byte) 203, 0, 113, 10};

  private final EchoTable table = new EchoTable(TAG);
  private final ProbeFlight flight = flightTo(TARGET);
  private final ReplyView view = new ReplyView();

  private EchoTable.Match receive(int id, int seq, long tag, long serial, byte[] from, long at) {
    byte[] packet = reply(id, seq, tag, serial);
    EchoCodec.decode(packet, packet.length, false, false, view);
    return table.match(view, from, 0, from.length, at);
  }

  @Test
  void theRightReplyAnswersItsEchoWithTheRttFromTheSendTime() {
    int seq = table.reserve(flight, 2, ID, 500);
    table.sentAt(seq, 1_000);
    assertThat(receive(ID, seq, TAG, 500, TARGET, 1_750)).isEqualTo(EchoTable.Match.ANSWER);
    assertThat(table.matchedFlight()).isSameAs(flight);
    assertThat(table.matchedEcho()).isEqualTo(2);
    assertThat(table.matchedRtt()).isEqualTo(750);
    assertThat(table.waiting()).isZero();
  }

  @Test
  void aSecondReplyIsADuplicate() {
    int seq = table.reserve(flight, 0, ID, 500);
    receive(ID, seq, TAG, 500, TARGET, 1);
    assertThat(receive(ID, seq, TAG, 500, TARGET, 2)).isEqualTo(EchoTable.Match.DUPLICATE);
  }

  @Test
  void aReplyFromAnotherHostIsIgnoredAndTheEchoStillWaits() {
    int seq = table.reserve(flight, 0, ID, 500);
    assertThat(receive(ID, seq, TAG, 500, OTHER, 1)).isEqualTo(EchoTable.Match.WRONG_HOST);
    assertThat(receive(ID, seq, TAG, 500, TARGET, 2)).isEqualTo(EchoTable.Match.ANSWER);
  }

  @Test
  void anotherIdentifierIsSomeoneElsesEcho() {
    int seq = table.reserve(flight, 0, ID, 500);
    assertThat(receive(ID + 1, seq, TAG, 500, TARGET, 1)).isEqualTo(EchoTable.Match.FOREIGN);
  }

  @Test
  void aSequenceNothingWasSentWithIsForeign() {
    table.reserve(flight, 0, ID, 500);
    assertThat(receive(ID, 4000, TAG, 500, TARGET, 1)).isEqualTo(EchoTable.Match.FOREIGN);
  }

  @Test
  void anotherTagIsAWrongPayload() {
    int seq = table.reserve(flight, 0, ID, 500);
    assertThat(receive(ID, seq, TAG + 1, 500, TARGET, 1)).isEqualTo(EchoTable.Match.WRONG_PAYLOAD);
  }

  @Test
  void aReplyAfterTheTimeoutIsLate() {
    int seq = table.reserve(flight, 0, ID, 500);
    assertThat(table.expire(seq, 500)).isSameAs(flight);
    assertThat(receive(ID, seq, TAG, 500, TARGET, 1)).isEqualTo(EchoTable.Match.LATE);
  }

  @Test
  void aLateReplyToAnOlderEchoOnAReusedSequenceDoesNotAnswerTheNewOne() {
    int seq = 0;
    table.reserve(flight, 0, ID, 500);
    table.expire(seq, 500);
    // Wrap the whole sequence space round, so that the next echo reuses sequence 0.
    for (int i = 1; i < EchoTable.SIZE; i++) {
      table.unreserve(table.reserve(flight, 0, ID, 500 + i));
    }
    int reused = table.reserve(flight, 0, ID, 900_000);
    assertThat(reused).isEqualTo(seq);
    assertThat(receive(ID, seq, TAG, 500, TARGET, 1)).isEqualTo(EchoTable.Match.LATE);
    assertThat(receive(ID, seq, TAG, 900_000, TARGET, 2)).isEqualTo(EchoTable.Match.ANSWER);
  }

  @Test
  void anAnsweredEchoDoesNotExpire() {
    int seq = table.reserve(flight, 0, ID, 500);
    receive(ID, seq, TAG, 500, TARGET, 1);
    assertThat(table.expire(seq, 500)).isNull();
  }

  @Test
  void waitingSequencesAreSkippedAndAFullTableRefuses() {
    for (int i = 0; i < EchoTable.SIZE; i++) {
      assertThat(table.reserve(flight, 0, ID, i + 1)).isEqualTo(i);
    }
    assertThat(table.reserve(flight, 0, ID, 1_000_000)).isEqualTo(-1);
    table.expire(123, 124);
    assertThat(table.reserve(flight, 0, ID, 1_000_001)).isEqualTo(123);
  }
}
