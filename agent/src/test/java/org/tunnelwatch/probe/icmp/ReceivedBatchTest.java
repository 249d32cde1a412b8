package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Reading the kernel's receive time out of recvmsg's control messages, and turning it into the
 * engine's monotonic time. The real kernel's stamps are exercised by the engine's namespace
 * tests; here the layouts and the guards against a wall clock that was set.
 */
class ReceivedBatchTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void findsTheTimestampAfterAnotherControlMessage() {
    ByteBuffer control = control();
    int next = putMessage(control, 0, 0 /* IPPROTO_IP */, 8 /* IP_TTL */, 4);
    putTimestamp(control, next, 1_700_000_000L, 123_456_789L);

    long nanos = ReceivedBatch.timestampNanos(control, 0, next + 32);

    assertThat(nanos).isEqualTo(1_700_000_000L * SECOND + 123_456_789L);
  }

  @Test
  void readsTheControlMessagesOfTheDatagramAtItsOffset() {
    ByteBuffer control = control();
    putTimestamp(control, 0, 1_600_000_000L, 1);
    putTimestamp(control, 64, 1_700_000_000L, 2);

    assertThat(ReceivedBatch.timestampNanos(control, 64, 32)).isEqualTo(1_700_000_000L * SECOND + 2);
  }

  @Test
  void noTimestampWithoutTheControlMessage() {
    ByteBuffer control = control();
    int end = putMessage(control, 0, 0, 8, 4);

    assertThat(ReceivedBatch.timestampNanos(control, 0, end)).isEqualTo(-1);
    assertThat(ReceivedBatch.timestampNanos(control, 0, 0)).isEqualTo(-1);
  }

  @Test
  void aTruncatedOrNonsensicalControlBufferGivesNoTimestamp() {
    ByteBuffer control = control();
    putTimestamp(control, 0, 1_700_000_000L, 5);

    assertThat(ReceivedBatch.timestampNanos(control, 0, 24)).as("cut short").isEqualTo(-1);
    control.putLong(0, 3); // a length shorter than the header
    assertThat(ReceivedBatch.timestampNanos(control, 0, 32)).as("bad length").isEqualTo(-1);
    putTimestamp(control, 0, 1_700_000_000L, 2 * SECOND);
    assertThat(ReceivedBatch.timestampNanos(control, 0, 32)).as("nanoseconds out of range").isEqualTo(-1);
  }

  @Test
  void theArrivalIsTheKernelTimeOnTheMonotonicClock() {
    long pairRealtime = 1_700_000_000L * SECOND;
    long pairMonotonic = 5_000 * SECOND;
    long kernel = pairRealtime - 1_500_000; // arrived 1.5 ms before the pair was read
    long read = pairMonotonic + 200_000;

    assertThat(ReceivedBatch.arrivalNanos(kernel, pairRealtime, pairMonotonic, read)).isEqualTo(pairMonotonic - 1_500_000);
  }

  @Test
  void theReadTimeStandsInWhenTheKernelTimeCannotBeRight() {
    long pairRealtime = 1_700_000_000L * SECOND;
    long pairMonotonic = 5_000 * SECOND;
    long read = pairMonotonic + 1_000;

    assertThat(ReceivedBatch.arrivalNanos(-1, pairRealtime, pairMonotonic, read)).as("no stamp").isEqualTo(read);
    assertThat(ReceivedBatch.arrivalNanos(pairRealtime + SECOND, pairRealtime, pairMonotonic, read))
        .as("after the read: the clock went back")
        .isEqualTo(read);
    assertThat(ReceivedBatch.arrivalNanos(pairRealtime - 60 * SECOND, pairRealtime, pairMonotonic, read))
        .as("a minute before: the clock went forward")
        .isEqualTo(read);
  }

  private static ByteBuffer control() {
    return ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
  }

  /** A control message with {@code dataBytes} of data; returns where the next one starts. */
  private static int putMessage(ByteBuffer control, int offset, int level, int type, int dataBytes) {
    control.putLong(offset, 16 + dataBytes);
    control.putInt(offset + 8, level);
    control.putInt(offset + 12, type);
    return offset + ((16 + dataBytes + 7) & ~7);
  }

  private static void putTimestamp(ByteBuffer control, int offset, long seconds, long nanos) {
    putMessage(control, offset, LinuxSockets.SOL_SOCKET, LinuxSockets.SCM_TIMESTAMPNS, 16);
    control.putLong(offset + 16, seconds);
    control.putLong(offset + 24, nanos);
  }
}
