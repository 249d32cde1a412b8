package org.tunnelwatch.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sends notify-protocol datagrams to the service manager's socket through the C library (JNA).
 * One socket for the life of the agent; each message is one datagram.
 *
 * <p>Thread-safe: {@code sendto} on one datagram socket from several threads is atomic per
 * datagram; {@link #close()} must come after the last send.
 */
final class NotifySocket implements AutoCloseable {

  private final LibC libc;
  private final SocketAddress address;
  private final int fd;

  private NotifySocket(LibC libc, SocketAddress address, int fd) {
    this.libc = libc;
    this.address = address;
    this.fd = fd;
  }

  static NotifySocket open(String notifySocket) throws IOException {
    SocketAddress address;
    try {
      address = SocketAddress.parse(notifySocket);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage());
    }
    LibC libc = LibC.load();
    try {
      int fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
      return new NotifySocket(libc, address, fd);
    } catch (LastErrorException e) {
      throw new IOException("cannot create a Unix datagram socket: errno " + e.getErrorCode());
    }
  }

  /** Sends {@code message} ({@code KEY=VALUE} lines) as one datagram. */
  void send(String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    try {
      // MSG_NOSIGNAL: a vanished manager must not kill the JVM with SIGPIPE.
      libc.sendto(fd, bytes, new NativeLong(bytes.length), LibC.MSG_NOSIGNAL, address.bytes(), address.length());
    } catch (LastErrorException e) {
      throw new IOException("cannot send to NOTIFY_SOCKET: errno " + e.getErrorCode());
    }
  }

  @Override
  public void close() {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // Closing a datagram socket fails only for a bad descriptor; nothing left to release.
    }
  }
}
