package org.tunnelwatch.probe.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.IpAddresses;

/**
 * Opens the engine's sockets and explains, in one line, why a mode cannot work here. Stateless.
 */
final class IcmpSockets {

  private static final Logger log = LoggerFactory.getLogger(IcmpSockets.class);

  /** Room for a burst of replies while the engine thread is busy sending. */
  private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
  private static final Path PING_GROUP_RANGE = Path.of("/proc/sys/net/ipv4/ping_group_range");

  private IcmpSockets() {}

  /** Empty when {@code mode} works in {@code context}; otherwise why not. */
  static Optional<String> unavailable(IcmpMode mode, SocketContext context) {
    Optional<String> platform = unsupportedPlatform();
    if (platform.isPresent()) {
      return platform;
    }
    try {
      return context.call(
          () -> {
            try {
              int fd = LinuxSockets.socket(LinuxSockets.AF_INET, type(mode), LinuxSockets.IPPROTO_ICMP);
              LinuxSockets.close(fd);
              return Optional.<String>empty();
            } catch (LastErrorException e) {
              return Optional.of(explain(mode, e));
            }
          });
    } catch (Exception e) {
      return Optional.of("cannot try " + mode.description() + ": " + e.getMessage());
    }
  }

  /**
   * Opens a non-blocking socket of {@code mode} bound to {@code source}.
   *
   * @param rawIdentifier the echo identifier a raw socket's echoes carry
   * @throws IOException with a one-line reason, e.g. "cannot bind to 192.0.2.77: Cannot assign
   *     requested address"
   */
  static IcmpSocket open(IcmpMode mode, InetAddress source, int rawIdentifier, SocketContext context) throws IOException {
    boolean ipv6 = source instanceof Inet6Address;
    int fd;
    try {
      fd =
          context.call(
              () ->
                  LinuxSockets.socket(
                      ipv6 ? LinuxSockets.AF_INET6 : LinuxSockets.AF_INET,
                      type(mode) | LinuxSockets.SOCK_NONBLOCK | LinuxSockets.SOCK_CLOEXEC,
                      ipv6 ? LinuxSockets.IPPROTO_ICMPV6 : LinuxSockets.IPPROTO_ICMP));
    } catch (LastErrorException e) {
      throw new IOException(explain(mode, e));
    } catch (Exception e) {
      throw new IOException("cannot open " + mode.description() + ": " + e.getMessage());
    }
    try {
      byte[] address = new byte[SocketAddresses.MAX_LENGTH];
      int length = SocketAddresses.encode(source, address);
      Memory sockaddr = new Memory(SocketAddresses.MAX_LENGTH);
      sockaddr.write(0, address, 0, length);
      try {
        LinuxSockets.bind(fd, sockaddr, length);
      } catch (LastErrorException e) {
        throw new IOException("cannot bind to " + IpAddresses.toText(source) + ": " + LinuxSockets.describe(e));
      }
      int identifier = mode == IcmpMode.RAW ? rawIdentifier : boundPort(fd, sockaddr, address);
      receiveOnlyEchoReplies(fd, mode, ipv6);
      enlargeReceiveBuffer(fd, mode);
      askForReceiveTimes(fd);
      return new IcmpSocket(fd, source, ipv6, mode == IcmpMode.RAW, identifier);
    } catch (IOException | RuntimeException e) {
      LinuxSockets.close(fd);
      throw e;
    }
  }

  static void close(IcmpSocket socket) {
    LinuxSockets.close(socket.fd());
  }

  private static int type(IcmpMode mode) {
    return mode == IcmpMode.RAW ? LinuxSockets.SOCK_RAW : LinuxSockets.SOCK_DGRAM;
  }

  /** A bound ping socket's port is its echo identifier; the kernel writes it into every echo. */
  private static int boundPort(int fd, Memory sockaddr, byte[] scratch) throws IOException {
    Memory length = new Memory(4);
    length.setInt(0, SocketAddresses.MAX_LENGTH);
    try {
      LinuxSockets.getsockname(fd, sockaddr, length);
    } catch (LastErrorException e) {
      throw new IOException("cannot read the ping socket's identifier: " + LinuxSockets.describe(e));
    }
    sockaddr.read(0, scratch, 0, 4);
    return SocketAddresses.port(scratch);
  }

  /**
   * A raw socket receives a copy of every ICMP message for its address; the kernel's filter keeps
   * all but echo replies out of it. A ping socket gets only its own replies anyway.
   */
  private static void receiveOnlyEchoReplies(int fd, IcmpMode mode, boolean ipv6) throws IOException {
    if (mode != IcmpMode.RAW) {
      return;
    }
    try {
      if (ipv6) {
        // struct icmp6_filter: 256 bits, a set bit blocks that type.
        Memory filter = new Memory(32);
        for (int word = 0; word < 8; word++) {
          filter.setInt(word * 4L, -1);
        }
        int reply = EchoCodec.ECHO_REPLY_V6;
        filter.setInt((reply >> 5) * 4L, ~(1 << (reply & 31)));
        LinuxSockets.setsockopt(fd, LinuxSockets.IPPROTO_ICMPV6, LinuxSockets.ICMP6_FILTER, filter, 32);
      } else {
        setIntOption(fd, LinuxSockets.SOL_RAW, LinuxSockets.ICMP_FILTER, ~(1 << EchoCodec.ECHO_REPLY_V4));
      }
    } catch (LastErrorException e) {
      throw new IOException("cannot set the ICMP filter: " + LinuxSockets.describe(e));
    }
  }

  /** Best effort: a small buffer only costs replies in a burst, which then count as lost. */
  private static void enlargeReceiveBuffer(int fd, IcmpMode mode) {
    try {
      // FORCE passes net.core.rmem_max but needs CAP_NET_ADMIN; the plain option is capped.
      setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES);
    } catch (LastErrorException e) {
      try {
        setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
      } catch (LastErrorException ignored) {
        // The default buffer still works.
      }
    }
  }

  /**
   * Best effort: without the kernel's receive times a reply is timed when it is read, which adds
   * the time it waited in the queue to its RTT.
   */
  private static void askForReceiveTimes(int fd) {
    try {
      setIntOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_TIMESTAMPNS, 1);
    } catch (LastErrorException e) {
      log.debug("ICMP socket: no kernel receive times ({}); replies are timed as they are read", LinuxSockets.describe(e));
    }
  }

  /** {@code setsockopt} of an {@code int} option. */
  private static void setIntOption(int fd, int level, int name, int value) throws LastErrorException {
    Memory option = new Memory(4);
    option.setInt(0, value);
    LinuxSockets.setsockopt(fd, level, name, option, 4);
  }

  private static Optional<String> unsupportedPlatform() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return Optional.of("native ICMP needs Linux, this is " + System.getProperty("os.name"));
    }
    if (Native.SIZE_T_SIZE != 8 || Native.LONG_SIZE != 8 || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return Optional.of("native ICMP needs a 64-bit little-endian JVM");
    }
    try {
      if (!LinuxSockets.registered()) {
        return Optional.of("JNA has no native library for this platform");
      }
    } catch (LinkageError e) {
      return Optional.of("JNA cannot load: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static String explain(IcmpMode mode, LastErrorException e) {
    String error = LinuxSockets.describe(e);
    if (mode == IcmpMode.RAW && (e.getErrorCode() == LinuxSockets.EPERM || e.getErrorCode() == LinuxSockets.EACCES)) {
      return "raw ICMP socket refused (" + error + "): the process lacks CAP_NET_RAW";
    }
    if (mode == IcmpMode.PING_SOCKET && e.getErrorCode() == LinuxSockets.EACCES) {
      return "ping socket refused (" + error + "): net.ipv4.ping_group_range is \"" + pingGroupRange()
          + "\", which does not include the process's group";
    }
    return mode.description() + " unavailable: " + error;
  }

  private static String pingGroupRange() {
    // One read with room to spare: procfs answers a small first read with only part of the value.
    try (InputStream in = Files.newInputStream(PING_GROUP_RANGE)) {
      return new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip().replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
