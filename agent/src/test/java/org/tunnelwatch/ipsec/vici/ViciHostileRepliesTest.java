package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.tunnelwatch.input.InputLimits;

/**
 * A hostile charon on a real Unix domain socket, answering the real {@link ViciClient} with
 * replies that are valid frame by frame but far too large together, or nested far too deep. Each
 * must end in a protocol error naming the limit, after reading a bounded amount.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ViciHostileRepliesTest {

  @RegisterExtension final ListeningSocket charon = new ListeningSocket();

  /**
   * Serves one client: confirms every registration, and answers the first command with {@code
   * count} events made by {@code event} and then a response. Completes with the number of events
   * the client took before it hung up.
   */
  private CompletableFuture<Integer> charonStreams(String eventName, int count, Supplier<ViciMessage> event) {
    return CompletableFuture.supplyAsync(() -> {
      int sent = 0;
      try (SocketChannel peer = charon.accept()) {
        while (true) {
          Packet request = read(peer);
          if (request.type() == PacketType.EVENT_REGISTER || request.type() == PacketType.EVENT_UNREGISTER) {
            write(peer, new Packet(PacketType.EVENT_CONFIRM, "", ViciMessage.empty()));
            continue;
          }
          ViciMessage message = event.get();
          for (; sent < count; sent++) {
            write(peer, new Packet(PacketType.EVENT, eventName, message));
          }
          write(peer, new Packet(PacketType.CMD_RESPONSE, "", ViciMessage.empty()));
        }
      } catch (IOException e) {
        return sent; // the client hung up
      }
    });
  }

  /** Serves one client: answers its first command with {@code payload} as the response frame. */
  private void charonAnswers(byte[] payload) {
    CompletableFuture.runAsync(() -> {
      try (SocketChannel peer = charon.accept()) {
        read(peer);
        peer.write(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip());
        read(peer); // until the client hangs up
      } catch (IOException e) {
        // The client hung up.
      }
    });
  }

  private static Packet read(SocketChannel peer) throws IOException {
    ByteBuffer length = ByteBuffer.allocate(4);
    fill(peer, length);
    ByteBuffer payload = ByteBuffer.allocate(length.getInt(0));
    fill(peer, payload);
    return Packet.decode(payload.array());
  }

  private static void fill(SocketChannel peer, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (peer.read(buffer) < 0) {
        throw new IOException("closed");
      }
    }
  }

  private static void write(SocketChannel peer, Packet packet) throws IOException {
    byte[] payload = packet.encode();
    ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    while (frame.hasRemaining()) {
      peer.write(frame);
    }
  }

  /** An event of about 480 KB: seven values of 64 KiB in sections, under charon's frame limit. */
  private static ViciMessage bigEvent() {
    ViciMessage.Builder sa = ViciMessage.builder();
    for (int i = 0; i < 7; i++) {
      sa.section("child-" + i, ViciMessage.builder().add("v", ViciValue.of(new byte[ViciValue.MAX_LENGTH])).build());
    }
    return ViciMessage.builder().section("ike", sa.build()).build();
  }

  private ViciClient client() {
    return new ViciClient(charon.path(), Duration.ofSeconds(30));
  }

  @Test
  void manyLargeEventsAreRefusedPastTheReplyLimitNotPiledUp() throws Exception {
    CompletableFuture<Integer> charon = charonStreams("list-sa", 200, ViciHostileRepliesTest::bigEvent); // 96 MB

    try (ViciClient vici = client()) {
      assertThatThrownBy(vici::listSas)
          .isInstanceOf(ViciProtocolException.class)
          .hasMessage("charon's reply to list-sas is larger than 8 MiB, not read");
    }
    // 8 MiB of 480 KB events is 17; the rest of those written sat in the socket's buffers.
    assertThat(charon.get(30, TimeUnit.SECONDS)).isLessThan(25);
  }

  @Test
  void manyTinyElementsAreRefusedPastTheElementLimit() throws Exception {
    Supplier<ViciMessage> thousandValues = () -> {
      ViciMessage.Builder b = ViciMessage.builder();
      for (int i = 0; i < 1_000; i++) {
        b.add("k" + i, "");
      }
      return b.build();
    };
    CompletableFuture<Integer> charon = charonStreams("list-sa", 1_000, thousandValues);

    try (ViciClient vici = client()) {
      assertThatThrownBy(vici::listSas)
          .isInstanceOf(ViciProtocolException.class)
          .hasMessage("charon's reply to list-sas holds more than " + InputLimits.VICI_REPLY_ELEMENTS + " elements, not read");
    }
    assertThat(charon.get(30, TimeUnit.SECONDS)).isLessThan(200);
  }

  @Test
  void aFloodOfEmptyEventsIsBoundedToo() throws Exception {
    CompletableFuture<Integer> charon = charonStreams("list-sa", 1_000_000, ViciMessage::empty);

    try (ViciClient vici = client()) {
      assertThatThrownBy(vici::listSas).hasMessageEndingWith("elements, not read");
    }
    assertThat(charon.get(30, TimeUnit.SECONDS)).isLessThan(InputLimits.VICI_REPLY_ELEMENTS + 50_000);
  }

  @Test
  void oneFrameOfSectionsNested120kDeepIsRefusedAtTheNestingLimit() throws Exception {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.write(PacketType.CMD_RESPONSE.code());
    for (int i = 0; i < 120_000; i++) {
      payload.write(new byte[] {ViciCodec.SECTION_START, 1, 'a'});
    }
    for (int i = 0; i < 120_000; i++) {
      payload.write(ViciCodec.SECTION_END);
    }
    assertThat(payload.size()).isLessThanOrEqualTo(ViciConnection.MAX_FRAME);
    charonAnswers(payload.toByteArray());

    try (ViciClient vici = client()) {
      assertThatThrownBy(vici::version)
          .isInstanceOf(ViciProtocolException.class)
          .hasMessage("bad VICI message at byte 96: sections nested more than 32 deep");
    }
  }

  @Test
  void aRealSizedListSasStillFits() throws Exception {
    // A thousand IKE SAs of the recorded kind are well inside the limits.
    ViciMessage recorded = RecordedMessagesTest.recorded("list-sa-installed.bin");
    CompletableFuture<Integer> charon = charonStreams("list-sa", 1_000, () -> recorded);

    try (ViciClient vici = client()) {
      assertThat(vici.listSas()).hasSize(1_000);
    }
    charon.cancel(true);
  }
}
