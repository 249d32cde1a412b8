package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Frames over a real Unix domain socket, with a peer that misbehaves in ways charon cannot be
 * made to: oversized, cut off, stalled and garbage frames. Each must end in a clear error, never
 * a hang or an OutOfMemoryError.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ViciConnectionTest {

  private static final Duration SHORT = Duration.ofMillis(300);

  @RegisterExtension final ListeningSocket charon = new ListeningSocket();

  /** Accepts one client and writes {@code bytes} to it, keeping the connection open. */
  private CompletableFuture<SocketChannel> peerSends(byte[] bytes, boolean thenClose) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        SocketChannel peer = charon.accept();
        peer.write(ByteBuffer.wrap(bytes));
        if (thenClose) {
          peer.close();
        }
        return peer;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
  }

  private static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  @Test
  void aPacketComesThroughWhole() throws Exception {
    Packet sent = new Packet(PacketType.EVENT, "child-updown", ViciMessage.builder().add("up", "yes").build());
    peerSends(frame(sent.encode()), false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThat(c.receive(Duration.ofSeconds(5))).isEqualTo(sent);
    }
  }

  @Test
  void anOversizedFrameIsRefusedFromItsLengthAlone() throws Exception {
    peerSends(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThatThrownBy(() -> c.receive(Duration.ofSeconds(5)))
          .isInstanceOf(ViciProtocolException.class)
          .hasMessage("frame of 2147483647 bytes announced, more than the 512 KiB limit");
    }
  }

  @Test
  void aNegativeLengthIsAnOversizedFrameToo() throws Exception {
    peerSends(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThatThrownBy(() -> c.receive(Duration.ofSeconds(5)))
          .hasMessage("frame of 4294967295 bytes announced, more than the 512 KiB limit");
    }
  }

  @Test
  void aFrameOfExactlyTheLimitIsAccepted() throws Exception {
    ViciMessage big = ViciMessage.builder().add("k", ViciValue.of(new byte[ViciValue.MAX_LENGTH])).build();
    ViciMessage.Builder b = ViciMessage.builder();
    for (int i = 0; i < 7; i++) {
      b.section("s" + i, big);
    }
    Packet sent = new Packet(PacketType.CMD_RESPONSE, "", b.build());
    assertThat(sent.encode().length).isLessThanOrEqualTo(ViciConnection.MAX_FRAME);
    peerSends(frame(sent.encode()), false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThat(c.receive(Duration.ofSeconds(5))).isEqualTo(sent);
    }
  }

  @Test
  void anEmptyFrameIsAnError() throws Exception {
    peerSends(new byte[] {0, 0, 0, 0}, false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThatThrownBy(() -> c.receive(Duration.ofSeconds(5))).hasMessage("empty frame (no packet type)");
    }
  }

  @Test
  void aFrameCutOffByTheClosingPeerIsAnError() throws Exception {
    peerSends(new byte[] {0, 0, 0, 10, 1, 3}, true);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThatThrownBy(() -> c.receive(Duration.ofSeconds(5)))
          .isInstanceOf(IOException.class)
          .hasMessage("charon closed the connection in the middle of a frame");
    }
  }

  @Test
  void aStalledFrameEndsInATimeoutNotAHang() throws Exception {
    peerSends(new byte[] {0, 0, 0, 10, 1}, false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThatThrownBy(() -> c.receive(Duration.ofDays(1), SHORT))
          .isInstanceOf(ViciTimeoutException.class)
          .hasMessage("charon took longer than 300ms to answer");
    }
  }

  @Test
  void aSilentPeerEndsInATimeout() throws Exception {
    peerSends(new byte[0], false);
    try (ViciConnection c = ViciConnection.open(charon.path())) {
      assertThatThrownBy(() -> c.receive(SHORT)).isInstanceOf(ViciTimeoutException.class);
    }
  }

  @Test
  void closingFromAnotherThreadEndsAWaitingReceive() throws Exception {
    peerSends(new byte[0], false);
    ViciConnection c = ViciConnection.open(charon.path());
    CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        c.receive(Duration.ofDays(1));
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    Thread.sleep(200);
    c.close();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
  }

  @Test
  void nothingListeningIsAOneLineError() {
    assertThatThrownBy(() -> ViciConnection.open(charon.nowhere()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to " + charon.nowhere() + ": ");
  }
}
