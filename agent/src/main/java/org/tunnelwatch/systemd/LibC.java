package org.tunnelwatch.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few C library calls a datagram socket needs. The JDK has Unix domain stream and server
 * sockets, but no Unix datagram sockets, and the notify protocol is datagrams only.
 */
interface LibC extends Library {

  int AF_UNIX = 1;
  int SOCK_DGRAM = 2;
  int SOCK_CLOEXEC = 0x80000;
  int MSG_NOSIGNAL = 0x4000;

  /** Loaded once per notifier; JNA caches the library itself. */
  static LibC load() {
    return Native.load("c", LibC.class);
  }

  int socket(int domain, int type, int protocol) throws LastErrorException;

  NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
      throws LastErrorException;

  int close(int fd) throws LastErrorException;
}
