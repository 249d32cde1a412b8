package org.tunnelwatch.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The service manager's end of the notify protocol, for tests: a Unix datagram socket bound to a
 * path or an abstract name, read with a timeout. Built on the C library like the agent's side,
 * but written separately (bind and recv instead of sendto), so that a shared mistake in address
 * encoding cannot make both ends agree on something the kernel would not deliver.
 */
public final class NotifyReceiver implements AutoCloseable {

  interface Sockets extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int option, byte[] value, int length) throws LastErrorException;

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int EAGAIN = 11;

  private final Sockets c = Native.load("c", Sockets.class);
  private final int fd;
  /** What {@code $NOTIFY_SOCKET} must hold for a sender to reach this receiver. */
  public final String notifySocket;

  private NotifyReceiver(String notifySocket) throws IOException {
    this.notifySocket = notifySocket;
    boolean abstractName = notifySocket.startsWith("@");
    byte[] name = (abstractName ? notifySocket.substring(1) : notifySocket).getBytes(StandardCharsets.UTF_8);
    ByteBuffer address = ByteBuffer.allocate(2 + 1 + name.length).order(ByteOrder.nativeOrder());
    address.putShort((short) AF_UNIX);
    if (abstractName) {
      address.put((byte) 0).put(name);
    } else {
      address.put(name).put((byte) 0);
    }
    try {
      fd = c.socket(AF_UNIX, SOCK_DGRAM, 0);
      c.bind(fd, address.array(), address.capacity());
    } catch (LastErrorException e) {
      throw new IOException("cannot bind " + notifySocket + ": errno " + e.getErrorCode());
    }
  }

  /** Binds {@code notifySocket}: a path, or {@code @name} for an abstract name. */
  public static NotifyReceiver bind(String notifySocket) throws IOException {
    return new NotifyReceiver(notifySocket);
  }

  /** The next datagram, or empty when none came within {@code timeout}. */
  public Optional<String> receive(Duration timeout) {
    ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    tv.putLong(timeout.toSeconds()).putLong(timeout.toMillisPart() * 1000L);
    byte[] buffer = new byte[4096];
    try {
      c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16);
      int n = c.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
      return Optional.of(new String(buffer, 0, n, StandardCharsets.UTF_8));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EAGAIN) {
        return Optional.empty();
      }
      throw new IllegalStateException("recv on " + notifySocket + " failed: errno " + e.getErrorCode());
    }
  }

  /** Reads datagrams until one contains {@code line} as a whole line, for at most {@code timeout}. */
  public Optional<String> awaitLine(String line, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      Optional<String> message = receive(Duration.ofNanos(Math.max(left, 1_000_000)));
      if (message.isEmpty()) {
        return Optional.empty();
      }
      if (message.get().lines().anyMatch(line::equals)) {
        return message;
      }
    }
  }

  @Override
  public void close() {
    c.close(fd);
  }
}
