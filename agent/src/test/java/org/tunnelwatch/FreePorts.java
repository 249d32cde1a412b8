package org.tunnelwatch;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback TCP port that is free now, for tests that start an agent or a server on one. */
public final class FreePorts {

  private FreePorts() {}

  /** Asks the kernel for an ephemeral port and closes it again; taken races are rare enough here. */
  public static int any() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
