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
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever bytes a peer sends and however it ends, the client gets a packet or a one-line error;
 * over a real socket, with 60 generated peers (the same at every run).
 */
class ViciConnectionPropertiesTest {

  static LongStream seeds() {
    return LongStream.range(0, 60);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void garbageFromThePeerIsAnErrorOrAPacketNeverAHang(long seed) throws Exception {
    Random random = new Random(seed);
    byte[] garbage = new byte[1 + random.nextInt(64)];
    random.nextBytes(garbage);
    boolean peerCloses = random.nextBoolean();
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
