package org.tunnelwatch.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct sockaddr_un} as bytes, from the text of {@code $NOTIFY_SOCKET}: a file system
 * path ({@code /run/systemd/notify}) or an abstract name written with a leading {@code @}, which
 * the kernel wants as a leading NUL byte and an address length that counts only the name.
 */
record SocketAddress(byte[] bytes) {

  /** {@code sizeof(sun_path)} on Linux. */
  static final int MAX_PATH = 108;

  private static final int FAMILY_BYTES = 2;

  /**
   * Parses {@code $NOTIFY_SOCKET}.
   *
   * @throws IllegalArgumentException with a one-line reason when the text is no Unix socket
   *     address this code can use
   */
  static SocketAddress parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("NOTIFY_SOCKET is empty");
    }
    boolean abstractName = text.startsWith("@");
    if (!abstractName && !text.startsWith("/")) {
      throw new IllegalArgumentException(
          "NOTIFY_SOCKET \"" + text + "\" is neither an absolute path nor an abstract name (@name)");
    }
    byte[] name = (abstractName ? text.substring(1) : text).getBytes(StandardCharsets.UTF_8);
    // A path needs room for its terminating NUL; an abstract name has its NUL in front instead.
    int pathBytes = name.length + 1;
    if (pathBytes > MAX_PATH) {
      throw new IllegalArgumentException("NOTIFY_SOCKET is longer than " + (MAX_PATH - 1) + " bytes");
    }
    ByteBuffer address = ByteBuffer.allocate(FAMILY_BYTES + pathBytes).order(ByteOrder.nativeOrder());
    address.putShort((short) LibC.AF_UNIX);
    if (abstractName) {
      address.put((byte) 0).put(name);
    } else {
      address.put(name).put((byte) 0);
    }
    return new SocketAddress(address.array());
  }

  /**
   * The address length to pass to {@code sendto}. For a path the terminating NUL may be counted;
   * for an abstract name every byte counts, so it must be exactly family, NUL and name.
   */
  int length() {
    return bytes.length;
  }
}
