package org.tunnelwatch.probe.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls an ICMP socket needs, bound through JNA's direct mapping (static natives:
 * no proxy, no boxing, no allocation per call). The JDK cannot open raw or ping sockets.
 *
 * <p>Sizes follow LP64 Linux ({@code size_t}, {@code ssize_t} and {@code nfds_t} are Java
 * {@code long}); {@link IcmpSockets#check} refuses other platforms before any call is made.
 * Calls whose failure matters declare {@link LastErrorException}; the receive and poll calls on
 * the hot path return -1 instead, because an exception per drained socket would cost more than
 * the probe.
 *
 * <p>Stateless and thread-safe.
 */
final class LinuxSockets {

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_NONBLOCK = 0x800;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int IPPROTO_ICMP = 1;
  static final int IPPROTO_ICMPV6 = 58;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_RCVBUFFORCE = 33;
  /** Asks for each datagram's arrival time; the control message has the same number. */
  static final int SO_TIMESTAMPNS = 35;
  static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
  static final int CLOCK_REALTIME = 0;
  static final int SOL_RAW = 255;
  static final int ICMP_FILTER = 1;
  static final int ICMP6_FILTER = 1;
  static final int MSG_DONTWAIT = 0x40;
  static final int POLLIN = 0x1;
  static final int EFD_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;

  static final int EPERM = 1;
  static final int EACCES = 13;
  static final int EADDRNOTAVAIL = 99;

  private static final boolean REGISTERED;

  static {
    boolean ok;
    try {
      Native.register(LinuxSockets.class, NativeLibrary.getInstance("c"));
      ok = true;
    } catch (LinkageError e) {
      // No JNA native part for this platform: IcmpSockets reports it and the agent falls back.
      ok = false;
    }
    REGISTERED = ok;
  }

  private LinuxSockets() {}

  /** Whether the natives are bound; false on a platform JNA has no native library for. */
  static boolean registered() {
    return REGISTERED;
  }

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int bind(int fd, Pointer address, int addressLength) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, Pointer value, int valueLength)
      throws LastErrorException;

  static native int getsockname(int fd, Pointer address, Pointer addressLength) throws LastErrorException;

  static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer address, int addressLength)
      throws LastErrorException;

  /** How many datagrams were read; -1 when nothing is queued (or on any error). */
  static native int recvmmsg(int fd, Pointer messages, int count, int flags, Pointer timeout);

  /** Through the vDSO: no system call. */
  static native int clock_gettime(int clock, Pointer timespec);

  /** -1 on EINTR or error: the caller's loop simply goes round again. */
  static native int ppoll(Pointer fds, long count, Pointer timeout, Pointer signalMask);

  static native int eventfd(int initialValue, int flags) throws LastErrorException;

  static native long read(int fd, Pointer buffer, long length);

  static native long write(int fd, Pointer buffer, long length);

  static native int close(int fd);

  static native String strerror(int errno);

  /** "Cannot assign requested address" for an errno. */
  static String describe(LastErrorException e) {
    return strerror(e.getErrorCode());
  }
}
