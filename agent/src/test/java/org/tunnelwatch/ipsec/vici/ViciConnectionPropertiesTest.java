package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever bytes a peer sends and however it ends, the client gets a packet or a one-line error. */
class ViciConnectionPropertiesTest {

  @Property(tries = 60)
  void garbageFromThePeerIsAnErrorOrAPacketNeverAHang(
      @ForAll @Size(min = 1, max = 64) byte[] garbage, @ForAll boolean peerCloses) throws Exception {
    Path dir = Files.createTempDirectory("vici");
    Path socket = dir.resolve("charon.vici");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      try (ViciConnection c = ViciConnection.open(socket);
          SocketChannel peer = server.accept()) {
        peer.write(ByteBuffer.wrap(garbage));
        if (peerCloses) {
          peer.shutdownOutput();
        }
        try {
          assertThat(c.receive(Duration.ofMillis(200))).isNotNull();
        } catch (IOException e) {
          assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
      }
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }
}
