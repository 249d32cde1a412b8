package org.tunnelwatch.probe.icmp;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Receives datagrams a batch at a time ({@code recvmmsg(2)}) into native structures made once:
 * each datagram, its sender, and the time the kernel received it ({@code SO_TIMESTAMPNS}), so
 * that a reply read late, after a burst of sends, still gets its true round-trip time. One call
 * reads a whole slot's replies: system calls are dear on these machines (about 1.5 us each,
 * docs/benchmarks.md), and one per reply, plus one more to learn that the queue is empty, was
 * most of the receiving.
 *
 * <p>The kernel's time is the wall clock ({@code CLOCK_REALTIME}); {@link #arrivalNanos} turns
 * it into the engine's monotonic time by way of a pair of readings of both clocks.
 *
 * <p>Layouts are LP64 Linux's: {@code struct mmsghdr} is a {@code struct msghdr} and the length
 * received (56), 64 bytes in all; {@code struct msghdr} is name (0), namelen (8), iov (16),
 * iovlen (24), control (32), controllen (40), flags (48); {@code struct iovec} is base (0), len
 * (8); {@code struct cmsghdr} is len (0), level (8), type (12), data (16). Not thread-safe: the
 * engine thread owns it.
 */
final class ReceivedBatch {

  private static final int MMSGHDR_BYTES = 64;
  private static final int RECEIVED_LENGTH_OFFSET = 56;
  /** Room for a few control messages per datagram; the timestamp needs 32 bytes. */
  private static final int CONTROL_BYTES = 64;
  private static final int CMSG_HEADER_BYTES = 16;
  /** A kernel time further than this from the read is not believed (the clock was set). */
  private static final long MAX_QUEUED_NANOS = 10_000_000_000L;

  private final int size;
  private final int capacity;
  private final Memory headers;
  /** The blocks the headers point into, held here so that they live as long as the headers. */
  private final Memory[] keepAlive;
  private final ByteBuffer headerView;
  private final ByteBuffer dataView;
  private final ByteBuffer senderView;
  private final ByteBuffer controlView;
  private final Memory timespec = new Memory(16);
  private final ByteBuffer timespecView;
  /** Headers the kernel wrote in the last call, to be reset before the next. */
  private int used;
  private final long[] kernelRealtimeNanos;

  /**
   * @param size datagrams read at most per call
   * @param capacity bytes kept of each datagram; a longer one is cut to this length
   */
  ReceivedBatch(int size, int capacity) {
    this.size = size;
    this.capacity = capacity;
    this.kernelRealtimeNanos = new long[size];
    Memory data = new Memory((long) size * capacity);
    Memory senders = new Memory((long) size * SocketAddresses.MAX_LENGTH);
    Memory controls = new Memory((long) size * CONTROL_BYTES);
    Memory iovecs = new Memory(16L * size);
    headers = new Memory((long) size * MMSGHDR_BYTES);
    headers.clear();
    for (int i = 0; i < size; i++) {
      iovecs.setPointer(16L * i, data.share((long) i * capacity));
      iovecs.setLong(16L * i + 8, capacity);
      long header = (long) i * MMSGHDR_BYTES;
      headers.setPointer(header, senders.share((long) i * SocketAddresses.MAX_LENGTH));
      headers.setPointer(header + 16, iovecs.share(16L * i));
      headers.setLong(header + 24, 1);
      headers.setPointer(header + 32, controls.share((long) i * CONTROL_BYTES));
    }
    this.headerView = view(headers);
    this.dataView = view(data);
    this.senderView = view(senders);
    this.controlView = view(controls);
    this.timespecView = view(timespec);
    this.keepAlive = new Memory[] {data, senders, controls, iovecs};
    used = size;
  }

  private static ByteBuffer view(Memory memory) {
    return memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
  }

  /**
   * Reads what is queued on {@code fd}, up to the batch's size, without waiting.
   *
   * @return how many datagrams were read; 0 when none was queued (or on any error)
   */
  int receive(int fd) {
    for (int i = 0; i < used; i++) {
      int header = i * MMSGHDR_BYTES;
      headerView.putInt(header + 8, SocketAddresses.MAX_LENGTH);
      headerView.putLong(header + 40, CONTROL_BYTES);
      headerView.putInt(header + 48, 0);
    }
    int n = LinuxSockets.recvmmsg(fd, headers, size, LinuxSockets.MSG_DONTWAIT, null);
    if (n <= 0) {
      used = 0;
      return 0;
    }
    used = n;
    for (int i = 0; i < n; i++) {
      int header = i * MMSGHDR_BYTES;
      int controlLength = (int) Math.min(Math.max(0, headerView.getLong(header + 40)), CONTROL_BYTES);
      kernelRealtimeNanos[i] = timestampNanos(controlView, i * CONTROL_BYTES, controlLength);
    }
    return n;
  }

  /** The batch's most datagrams per call. */
  int size() {
    return size;
  }

  /** The length kept of datagram {@code i} of the last call: at most the capacity. */
  int length(int i) {
    return Math.max(0, headerView.getInt(i * MMSGHDR_BYTES + RECEIVED_LENGTH_OFFSET));
  }

  /** Copies the kept bytes of datagram {@code i} into {@code out}; returns how many. */
  int copyData(int i, byte[] out) {
    int length = Math.min(Math.min(length(i), capacity), out.length);
    dataView.get(i * capacity, out, 0, length);
    return length;
  }

  /** Copies the sender of datagram {@code i} into {@code out}; returns the address's length. */
  int copySender(int i, byte[] out) {
    int length = Math.min(Math.max(0, headerView.getInt(i * MMSGHDR_BYTES + 8)), Math.min(SocketAddresses.MAX_LENGTH, out.length));
    senderView.get(i * SocketAddresses.MAX_LENGTH, out, 0, length);
    return length;
  }

  /** The wall-clock time the kernel received datagram {@code i}, in ns, or -1 if it gave none. */
  long kernelRealtimeNanos(int i) {
    return kernelRealtimeNanos[i];
  }

  /** The wall clock now, in ns since the epoch, as the kernel stamps datagrams. */
  long realtimeNanos() {
    LinuxSockets.clock_gettime(LinuxSockets.CLOCK_REALTIME, timespec);
    return timespecView.getLong(0) * 1_000_000_000L + timespecView.getLong(8);
  }

  /**
   * The {@code SCM_TIMESTAMPNS} time in the {@code length} bytes of control messages at {@code
   * base}, in ns since the epoch, or -1 if there is none.
   */
  static long timestampNanos(ByteBuffer control, int base, int length) {
    int offset = 0;
    while (offset + CMSG_HEADER_BYTES <= length) {
      long cmsgLength = control.getLong(base + offset);
      if (cmsgLength < CMSG_HEADER_BYTES || offset + cmsgLength > length) {
        return -1;
      }
      int level = control.getInt(base + offset + 8);
      int type = control.getInt(base + offset + 12);
      if (level == LinuxSockets.SOL_SOCKET && type == LinuxSockets.SCM_TIMESTAMPNS && cmsgLength >= CMSG_HEADER_BYTES + 16) {
        long seconds = control.getLong(base + offset + CMSG_HEADER_BYTES);
        long nanos = control.getLong(base + offset + CMSG_HEADER_BYTES + 8);
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
