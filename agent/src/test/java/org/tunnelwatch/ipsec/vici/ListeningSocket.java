package org.tunnelwatch.ipsec.vici;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Unix domain socket where a test plays charon, listening afresh for each test in a directory
 * of its own: register it with {@code @RegisterExtension} and point the client under test at
 * {@link #path}.
 */
final class ListeningSocket implements BeforeEachCallback, AfterEachCallback {

  private Path dir;
  private Path path;
  private ServerSocketChannel server;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("vici-test");
    path = dir.resolve("charon.vici");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    server.close();
    Files.deleteIfExists(path);
    Files.deleteIfExists(dir);
  }

  /** The socket's path. */
  Path path() {
    return path;
  }

  /** A path in the same directory where nothing listens. */
  Path nowhere() {
    return dir.resolve("none.vici");
  }

  /** Waits for the next client. */
  SocketChannel accept() throws IOException {
    return server.accept();
  }
}
