package org.tunnelwatch.probe.icmp;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One {@code recvmsg(2)} at a time into native structures made once: the datagram, its sender,
 * and the time the kernel received it ({@code SO_TIMESTAMPNS}), so that a reply read late,
 * after a burst of sends, still gets its true round-trip time.
 *
 * <p>The kernel's time is the wall clock ({@code CLOCK_REALTIME}); {@link #arrivalNanos} turns
 * it into the engine's monotonic time by way of a pair of readings of both clocks.
 *
 * <p>Layouts are LP64 Linux's: {@code struct msghdr} is name (0), namelen (8), iov (16), iovlen
 * (24), control (32), controllen (40), flags (48); {@code struct iovec} is base (0), len (8);
 * {@code struct cmsghdr} is len (0), level (8), type (12), data (16). Not thread-safe: the engine
 * thread owns it.
 */
final class ReceivedDatagram {

  /** Room for a few control messages; the timestamp needs 32 bytes. */
  private static final int CONTROL_BYTES = 128;
  private static final int MESSAGE_BYTES = 56;
  private static final int CMSG_HEADER_BYTES = 16;
  /** A kernel time further than this from the read is not believed (the clock was set). */
  private static final long MAX_QUEUED_NANOS = 10_000_000_000L;

  private final int capacity;
  private final Memory data;
  private final Memory sender = new Memory(SocketAddresses.MAX_LENGTH);
  private final Memory control = new Memory(CONTROL_BYTES);
  private final Memory iovec = new Memory(16);
  private final Memory message = new Memory(MESSAGE_BYTES);
  private final ByteBuffer messageView;
  private final ByteBuffer controlView;
  private final Memory timespec = new Memory(16);
  private final ByteBuffer timespecView;
  private int senderLength;
  private long kernelRealtimeNanos = -1;

  ReceivedDatagram(int capacity) {
    this.capacity = capacity;
    this.data = new Memory(capacity);
    iovec.setPointer(0, data);
    iovec.setLong(8, capacity);
    message.clear();
    message.setPointer(0, sender);
    message.setPointer(16, iovec);
    message.setLong(24, 1);
    message.setPointer(32, control);
    this.messageView = message.getByteBuffer(0, MESSAGE_BYTES).order(ByteOrder.nativeOrder());
    this.controlView = control.getByteBuffer(0, CONTROL_BYTES).order(ByteOrder.nativeOrder());
    this.timespecView = timespec.getByteBuffer(0, 16).order(ByteOrder.nativeOrder());
  }

  /**
   * Reads the next queued datagram of {@code fd} without waiting.
   *
   * @return its length (possibly more than was kept, if it was longer than the buffer), or -1
   *     when nothing is queued
   */
  long receive(int fd) {
    messageView.putInt(8, SocketAddresses.MAX_LENGTH);
    messageView.putLong(40, CONTROL_BYTES);
    messageView.putInt(48, 0);
    long n = LinuxSockets.recvmsg(fd, message, LinuxSockets.MSG_DONTWAIT);
    if (n < 0) {
      return n;
    }
    senderLength = Math.min(Math.max(0, messageView.getInt(8)), SocketAddresses.MAX_LENGTH);
    kernelRealtimeNanos = timestampNanos(controlView, (int) Math.min(messageView.getLong(40), CONTROL_BYTES));
    return n;
  }

  /** Copies the datagram's first {@code length} bytes (at most the capacity) into {@code out}. */
  void copyData(byte[] out, int length) {
    data.read(0, out, 0, Math.min(length, capacity));
  }

  /** Copies the sender's address into {@code out}; returns its length. */
  int copySender(byte[] out) {
    sender.read(0, out, 0, senderLength);
    return senderLength;
  }

  /** The wall-clock time the kernel received the last datagram, in ns, or -1 if it gave none. */
  long kernelRealtimeNanos() {
    return kernelRealtimeNanos;
  }

  /** The wall clock now, in ns since the epoch, as the kernel stamps datagrams. */
  long realtimeNanos() {
    LinuxSockets.clock_gettime(LinuxSockets.CLOCK_REALTIME, timespec);
    return timespecView.getLong(0) * 1_000_000_000L + timespecView.getLong(8);
  }

  /**
   * The {@code SCM_TIMESTAMPNS} time in a control buffer of {@code length} bytes, in ns since the
   * epoch, or -1 if there is none.
   */
  static long timestampNanos(ByteBuffer control, int length) {
    int offset = 0;
    while (offset + CMSG_HEADER_BYTES <= length) {
      long cmsgLength = control.getLong(offset);
      if (cmsgLength < CMSG_HEADER_BYTES || offset + cmsgLength > length) {
        return -1;
      }
      int level = control.getInt(offset + 8);
      int type = control.getInt(offset + 12);
      if (level == LinuxSockets.SOL_SOCKET && type == LinuxSockets.SCM_TIMESTAMPNS && cmsgLength >= CMSG_HEADER_BYTES + 16) {
        long seconds = control.getLong(offset + CMSG_HEADER_BYTES);
        long nanos = control.getLong(offset + CMSG_HEADER_BYTES + 8);
        return seconds < 0 || nanos < 0 || nanos >= 1_000_000_000L ? -1 : seconds * 1_000_000_000L + nanos;
      }
      offset += (int) ((cmsgLength + 7) & ~7L); // CMSG_ALIGN
    }
    return -1;
  }

  /**
   * When a datagram arrived, on the monotonic clock: the kernel's wall-clock stamp moved by the
   * difference of a pair of readings of both clocks ({@code pairRealtime}, {@code pairMonotonic})
   * taken close together. Where there is no stamp, or it cannot be right (later than the read, or
   * long before it: the wall clock was set in between), the time of the read.
   */
  static long arrivalNanos(long kernelRealtime, long pairRealtime, long pairMonotonic, long readMonotonic) {
    if (kernelRealtime < 0) {
      return readMonotonic;
    }
    long arrival = pairMonotonic + (kernelRealtime - pairRealtime);
    if (arrival - readMonotonic > 0 || readMonotonic - arrival > MAX_QUEUED_NANOS) {
      return readMonotonic;
    }
    return arrival;
  }
}
