package org.tunnelwatch.probe.icmp;

import java.util.Arrays;

/**
 * The echoes in flight, indexed by their 16-bit sequence number, and the rules that decide what
 * a reply is. A reply counts only when its identifier, sequence number, payload (engine tag and
 * echo serial) and sender all match an echo that is still waiting; everything else is sorted into
 * one of the {@link Match} kinds and counted by the engine.
 *
 * <p>Sequence numbers are one space for the whole engine; a slot is reused only when its echo is
 * no longer waiting, and the serial in the payload tells a late reply to the slot's previous echo
 * from a reply to the current one. That is what lets the table be small: a sequence number is
 * the slot's index, and the table starts with {@link #INITIAL_SIZE} slots and doubles (up to
 * ICMP's 65,536) whenever half of them wait, so ten tunnels keep some 30 KB instead of the 1.8 MB a
 * full table takes, and a thousand grow it once or twice in their first round.
 *
 * <p>Not thread-safe: owned by the engine thread. Allocates nothing except when it grows.
 */
final class EchoTable {

  /** The most slots there can be: ICMP's sequence number has 16 bits. */
  static final int MAX_SIZE = 1 << 16;
  /** Slots at the start: more than the echoes in flight of a few hundred tunnels. */
  static final int INITIAL_SIZE = 1 << 10;

  /** What a reply turned out to be. */
  enum Match {
    /** Answers a waiting echo; {@link #matchedFlight()} and friends say which. */
    ANSWER,
    /** Another prober's echo (a raw socket sees every reply to the host): not ours, not counted. */
    FOREIGN,
    /** Right identifier and sequence, but not our payload: damaged or forged. */
    WRONG_PAYLOAD,
    /** Our echo, answered by some other host. */
    WRONG_HOST,
    /** Our echo, answered after it timed out (or an older echo that used the same sequence). */
    LATE,
    /** A second reply to an echo already answered. */
    DUPLICATE
  }

  private static final byte FREE = 0;
  private static final byte WAITING = 1;
  private static final byte ANSWERED = 2;
  private static final byte EXPIRED = 3;

  private final long tag;
  private byte[] state = new byte[INITIAL_SIZE];
  private long[] serial = new long[INITIAL_SIZE];
  private long[] sentAt = new long[INITIAL_SIZE];
  private int[] identifier = new int[INITIAL_SIZE];
  private int[] echo = new int[INITIAL_SIZE];
  private ProbeFlight[] flight = new ProbeFlight[INITIAL_SIZE];
  private int next;
  private int waiting;

  private ProbeFlight matchedFlight;
  private int matchedEcho;
  private long matchedRtt;

  /** @param tag the engine's random payload tag */
  EchoTable(long tag) {
    this.tag = tag;
  }

  long tag() {
    return tag;
  }

  int waiting() {
    return waiting;
  }

  /** How many slots (sequence numbers) the table has now. */
  int size() {
    return state.length;
  }

  /**
   * Takes a free sequence number for an echo about to be sent, or returns -1 when all 65,536
   * are waiting (a load no configuration allows: that is tens of thousands of echoes a second
   * with a one-minute timeout).
   */
  int reserve(ProbeFlight owner, int echoIndex, int expectedIdentifier, long echoSerial) {
    // Half free keeps the search for a free slot short (two looks on average).
    int size = state.length;
    if (waiting * 2 >= size && size < MAX_SIZE) {
      grow();
      size = state.length;
    }
    for (int tries = 0; tries < size; tries++) {
      int seq = next;
      next = (next + 1) & (size - 1);
      if (state[seq] != WAITING) {
        state[seq] = WAITING;
        serial[seq] = echoSerial;
        identifier[seq] = expectedIdentifier;
        echo[seq] = echoIndex;
        flight[seq] = owner;
        waiting++;
        return seq;
      }
    }
    return -1;
  }

  /** Doubles the table; every slot keeps its index, which is its echo's sequence number. */
  private void grow() {
    int bigger = state.length * 2;
    state = Arrays.copyOf(state, bigger);
    serial = Arrays.copyOf(serial, bigger);
    sentAt = Arrays.copyOf(sentAt, bigger);
    identifier = Arrays.copyOf(identifier, bigger);
    echo = Arrays.copyOf(echo, bigger);
    flight = Arrays.copyOf(flight, bigger);
  }

  /** Records the send time, taken right before the send for the most exact RTT. */
  void sentAt(int seq, long now) {
    sentAt[seq] = now;
  }

  /** Gives the sequence number back after the kernel refused the echo. */
  void unreserve(int seq) {
    if (state[seq] == WAITING) {
      state[seq] = FREE;
      flight[seq] = null;
      waiting--;
    }
  }

  /**
   * Marks the echo timed out if it is still waiting and still the one with this serial. Returns
   * its flight, or null when the echo was answered meanwhile (a timer nobody cancelled).
   */
  ProbeFlight expire(int seq, long echoSerial) {
    if (state[seq] != WAITING || serial[seq] != echoSerial) {
      return null;
    }
    state[seq] = EXPIRED;
    waiting--;
    ProbeFlight owner = flight[seq];
    // The slot keeps its serial for late replies, but not the flight: that is pooled and reused.
    flight[seq] = null;
    return owner;
  }

  /** Whether the echo with this serial still waits on this sequence number. */
  boolean isWaiting(int seq, long echoSerial) {
    return state[seq] == WAITING && serial[seq] == echoSerial;
  }

  /**
   * Decides what a decoded reply is. On {@link Match#ANSWER} the echo is marked answered and
   * {@link #matchedFlight()}, {@link #matchedEcho()} and {@link #matchedRtt()} describe it.
   *
   * @param from the sender's address bytes, at {@code fromOffset}, {@code fromLength} long
   * @param receivedAt the monotonic time the reply was read
   */
  Match match(ReplyView reply, byte[] from, int fromOffset, int fromLength, long receivedAt) {
    matchedFlight = null;
    int seq = reply.sequence & (MAX_SIZE - 1);
    // A sequence number beyond the table was never ours to send.
    if (seq >= state.length || state[seq] == FREE || reply.identifier != identifier[seq]) {
      return Match.FOREIGN;
    }
    if (!reply.hasOurPayloadShape() || reply.tag != tag) {
      return Match.WRONG_PAYLOAD;
    }
    if (reply.serial != serial[seq]) {
      // Our tag, another serial: an older echo that had this sequence number, answered late.
      return Long.compareUnsigned(reply.serial, serial[seq]) < 0 ? Match.LATE : Match.WRONG_PAYLOAD;
    }
    if (state[seq] == EXPIRED) {
      return Match.LATE;
    }
    if (state[seq] == ANSWERED) {
      return Match.DUPLICATE;
    }
    ProbeFlight owner = flight[seq];
    if (!owner.targetIs(from, fromOffset, fromLength)) {
      return Match.WRONG_HOST;
    }
    state[seq] = ANSWERED;
    waiting--;
    flight[seq] = null;
    matchedFlight = owner;
    matchedEcho = echo[seq];
    matchedRtt = Math.max(0, receivedAt - sentAt[seq]);
    return Match.ANSWER;
  }

  ProbeFlight matchedFlight() {
    return matchedFlight;
  }

  int matchedEcho() {
    return matchedEcho;
  }

  long matchedRtt() {
    return matchedRtt;
  }
}
