package org.tunnelwatch.ipsec.vici;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.tunnelwatch.input.InputLimits;

/**
 * One connection to charon's VICI socket, moving whole packets: each frame is a 4-byte
 * big-endian length and that many bytes of packet. A Unix domain {@link SocketChannel} (JDK 16+,
 * no native code) in non-blocking mode with a selector, so that every read and write has a
 * deadline: a daemon that stops answering halfway through a frame costs a timeout, not a hung
 * thread.
 *
 * <p>Frames longer than {@link #MAX_FRAME} (charon's own limit) are refused from their length
 * alone, before any buffer is allocated; so are frames past what a reply's {@link ViciBudget}
 * has left.
 *
 * <p>Thread-safety: one thread sends and receives at a time; {@link #close()} may be called from
 * any thread and wakes a receiver that waits.
 */
public final class ViciConnection implements AutoCloseable {

  /** charon's limit for one frame: 512 KiB. */
  public static final int MAX_FRAME = InputLimits.VICI_FRAME_BYTES;

  private final SocketChannel channel;
  private final Selector selector;
  private final String where;
  private volatile boolean closed;

  private ViciConnection(SocketChannel channel, Selector selector, String where) {
    this.channel = channel;
    this.selector = selector;
    this.where = where;
  }

  /** Connects to the socket at {@code path}; fails at once if nothing listens there. */
  public static ViciConnection open(Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      // Connecting to a Unix socket completes or fails at once; no deadline is needed.
      channel.connect(UnixDomainSocketAddress.of(path));
      channel.configureBlocking(false);
      Selector selector = Selector.open();
      return new ViciConnection(channel, selector, path.toString());
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot connect to " + path + ": " + reason(e), e);
    }
  }

  /** Sends one packet, within {@code timeout}. */
  public void send(Packet packet, Duration timeout) throws IOException {
    byte[] payload = packet.encode();
    if (payload.length > MAX_FRAME) {
      throw new ViciProtocolException("packet of " + payload.length + " bytes exceeds the 512 KiB frame limit");
    }
    ByteBuffer frame = ByteBuffer.allocate(4 + payload.length);
    frame.putInt(payload.length).put(payload).flip();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (frame.hasRemaining()) {
      if (channel.write(frame) == 0) {
        await(SelectionKey.OP_WRITE, deadline, timeout, "to take a request");
      }
    }
  }

  /** Receives one packet, waiting at most {@code timeout} for all of it. */
  public Packet receive(Duration timeout) throws IOException {
    return receive(timeout, timeout, ViciBudget.onePacket());
  }

  /** Receives one packet of a reply, waiting at most {@code timeout}, within {@code budget}. */
  Packet receive(Duration timeout, ViciBudget budget) throws IOException {
    return receive(timeout, timeout, budget);
  }

  /**
   * Receives one packet, waiting up to {@code idle} for it to begin (an event stream is quiet
   * for hours) and then at most {@code timeout} for the rest of it, so that a frame cut off in
   * the middle is noticed in seconds.
   */
  public Packet receive(Duration idle, Duration timeout) throws IOException {
    return receive(idle, timeout, ViciBudget.onePacket());
  }

  private Packet receive(Duration idle, Duration timeout, ViciBudget budget) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4);
    long idleDeadline = System.nanoTime() + idle.toNanos();
    while (header.position() == 0) {
      readSome(header, idleDeadline, idle);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    fill(header, deadline, timeout);
    int length = header.getInt(0);
    if (length < 0 || length > MAX_FRAME) {
      throw new ViciProtocolException(
          "frame of " + Integer.toUnsignedString(length) + " bytes announced, more than the 512 KiB limit");
    }
    if (length == 0) {
      throw new ViciProtocolException("empty frame (no packet type)");
    }
    budget.frame(length);
    ByteBuffer payload = ByteBuffer.allocate(length);
    fill(payload, deadline, timeout);
    return Packet.decode(payload.array(), budget);
  }

  public boolean isOpen() {
    return !closed && channel.isOpen();
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a socket we are giving up on: nothing useful to do with a failure.
    }
    selector.wakeup();
    try {
      selector.close();
    } catch (IOException e) {
      // As above.
    }
  }

  @Override
  public String toString() {
    return "VICI " + where;
  }

  private void fill(ByteBuffer buffer, long deadline, Duration timeout) throws IOException {
    while (buffer.hasRemaining()) {
      readSome(buffer, deadline, timeout);
    }
  }

  private void readSome(ByteBuffer buffer, long deadline, Duration timeout) throws IOException {
    int n = channel.read(buffer);
    if (n < 0) {
      throw new IOException("charon closed the connection" + (buffer.position() > 0 ? " in the middle of a frame" : ""));
    }
    if (n == 0) {
      await(SelectionKey.OP_READ, deadline, timeout, "to answer");
    }
  }

  private void await(int op, long deadline, Duration timeout, String what) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new ViciTimeoutException("charon took longer than " + timeout.toMillis() + "ms " + what);
    }
    if (closed) {
      throw new ClosedChannelException();
    }
    if (Thread.currentThread().isInterrupted()) {
      // An interrupted select returns at once: waiting on would spin until the deadline.
      throw new InterruptedIOException("interrupted while waiting for charon " + what);
    }
    try {
      SelectionKey key = channel.register(selector, op);
      try {
        // select(ms) with 0 means forever: wait at least 1 ms.
        selector.select(Math.max(1, left / 1_000_000));
      } finally {
        if (key.isValid()) {
          key.interestOps(0);
        }
        selector.selectedKeys().clear();
      }
    } catch (ClosedSelectorException | CancelledKeyException e) {
      // close() from another thread while we waited.
      throw new ClosedChannelException();
    }
    if (closed) {
      throw new ClosedChannelException();
    }
  }

  private static String reason(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
