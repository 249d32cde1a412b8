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
    // Wrap the table round, so that the next echo reuses sequence 0.
    for (int i = 1; i < table.size(); i++) {
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
    for (int i = 0; i < EchoTable.MAX_SIZE; i++) {
      assertThat(table.reserve(flight, 0, ID, i + 1)).isEqualTo(i);
    }
    assertThat(table.size()).isEqualTo(EchoTable.MAX_SIZE);
    assertThat(table.reserve(flight, 0, ID, 1_000_000)).isEqualTo(-1);
    table.expire(123, 124);
    assertThat(table.reserve(flight, 0, ID, 1_000_001)).isEqualTo(123);
  }

  @Test
  void theTableDoublesWhenHalfOfItWaitsAndTheWaitingEchoesStillAnswer() {
    assertThat(table.size()).isEqualTo(EchoTable.INITIAL_SIZE);
    int half = EchoTable.INITIAL_SIZE / 2;
    for (int i = 0; i < half; i++) {
      table.sentAt(table.reserve(flight, i, ID, 10 + i), 100);
    }
    assertThat(table.size()).isEqualTo(EchoTable.INITIAL_SIZE);
    assertThat(table.reserve(flight, 0, ID, 5_000)).isEqualTo(half);
    assertThat(table.size()).isEqualTo(2 * EchoTable.INITIAL_SIZE);
    assertThat(receive(ID, 7, TAG, 17, TARGET, 400)).isEqualTo(EchoTable.Match.ANSWER);
    assertThat(table.matchedEcho()).isEqualTo(7);
    assertThat(table.matchedRtt()).isEqualTo(300);
  }

  @Test
  void echoesThatComeAndGoKeepTheTableSmall() {
    for (int i = 0; i < 10 * EchoTable.INITIAL_SIZE; i++) {
      int seq = table.reserve(flight, 0, ID, i + 1);
      receive(ID, seq, TAG, i + 1, TARGET, 1);
    }
    assertThat(table.size()).isEqualTo(EchoTable.INITIAL_SIZE);
  }

  @Test
  void aSequenceBeyondTheTableIsForeign() {
    table.reserve(flight, 0, ID, 500);
    assertThat(receive(ID, EchoTable.INITIAL_SIZE + 3, TAG, 500, TARGET, 1)).isEqualTo(EchoTable.Match.FOREIGN);
  }
}
