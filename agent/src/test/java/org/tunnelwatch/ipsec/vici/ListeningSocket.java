package org.tunnelwatch.ipsec.vici;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A Unix domain socket where a test plays charon: the client under test connects to {@link #path}. */
final class ListeningSocket implements AutoCloseable {

  private final Path path;
  private final ServerSocketChannel server;

  private ListeningSocket(Path path, ServerSocketChannel server) {
    this.path = path;
    this.server = server;
  }

  /** Listens on {@code charon.vici} in {@code dir}. */
  static ListeningSocket in(Path dir) throws IOException {
    Path path = dir.resolve("charon.vici");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    return new ListeningSocket(path, server);
  }

  Path path() {
    return path;
  }

  /** Waits for the next client. */
  SocketChannel accept() throws IOException {
    return server.accept();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
