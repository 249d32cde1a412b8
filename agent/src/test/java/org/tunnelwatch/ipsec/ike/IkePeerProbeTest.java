package org.tunnelwatch.ipsec.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe against a small UDP responder on loopback. */
class IkePeerProbeTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofMillis(600);

  private final IkePeerProbe probe = new IkePeerProbe();
  private Responder responder;

  @AfterEach
  void stop() {
    if (responder != null) {
      responder.close();
    }
  }

  @Test
  void aResponderThatRefusesTheProposalAnswers() throws Exception {
    responder = Responder.start(0, request -> List.of(IkeTestMessages.noProposalChosen(IkeTestMessages.initiatorSpiOf(request))));

    IkeProbeResult result = probe.probe(Optional.of(LOOPBACK), responder.address(), TIMEOUT);

    assertThat(result).isInstanceOf(IkeProbeResult.Answered.class);
    IkeProbeResult.Answered answered = (IkeProbeResult.Answered) result;
    assertThat(answered.what()).isEqualTo("NO_PROPOSAL_CHOSEN");
    assertThat(answered.requestsSent()).isEqualTo(1);
    assertThat(answered.roundTrip()).isLessThan(TIMEOUT);
    assertThat(responder.requests).hasSize(1);
  }

  @Test
  void aSilentPeerGetsOneRetransmissionWithTheSameSpiAndIsSilent() throws Exception {
    responder = Responder.start(0, request -> List.of());

    long start = System.nanoTime();
    IkeProbeResult result = probe.probe(Optional.empty(), responder.address(), TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result).isInstanceOf(IkeProbeResult.Silent.class);
    assertThat(((IkeProbeResult.Silent) result).requestsSent()).isEqualTo(2);
    assertThat(took).isBetween(TIMEOUT, TIMEOUT.plusMillis(400));
    responder.awaitRequests(2);
    assertThat(responder.requests.get(0)).isEqualTo(responder.requests.get(1));
  }

  @Test
  void theRetransmissionCanBringTheAnswer() throws Exception {
    List<byte[]> none = List.of();
    responder =
        Responder.start(0, request -> responderSeen() == 1 ? none : List.of(IkeTestMessages.noProposalChosen(IkeTestMessages.initiatorSpiOf(request))));

    IkeProbeResult result = probe.probe(Optional.of(LOOPBACK), responder.address(), TIMEOUT);

    assertThat(result).isInstanceOf(IkeProbeResult.Answered.class);
    assertThat(((IkeProbeResult.Answered) result).requestsSent()).isEqualTo(2);
    assertThat(((IkeProbeResult.Answered) result).roundTrip()).isGreaterThanOrEqualTo(Duration.ofMillis(240));
  }

  @Test
  void strayAndForeignDatagramsDoNotCountAsAnAnswer() throws Exception {
    responder =
        Responder.start(0, request -> {
          long spi = IkeTestMessages.initiatorSpiOf(request);
          return List.of(
              new byte[] {1, 2, 3}, // garbage
              IkeTestMessages.noProposalChosen(spi + 1), // someone else's answer
              request); // our own request echoed
        });

    IkeProbeResult result = probe.probe(Optional.empty(), responder.address(), TIMEOUT);

    assertThat(result).isInstanceOf(IkeProbeResult.Silent.class);
    assertThat(((IkeProbeResult.Silent) result).ignored()).isEqualTo(6); // three for each request
  }

  @Test
  void aClosedPortIsPortUnreachable() throws Exception {
    InetSocketAddress closed;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      closed = (InetSocketAddress) socket.getLocalSocketAddress();
    }

    IkeProbeResult result = probe.probe(Optional.of(LOOPBACK), closed, TIMEOUT);

    assertThat(result).isInstanceOf(IkeProbeResult.Failed.class);
    assertThat(((IkeProbeResult.Failed) result).reason()).startsWith("port unreachable");
  }

  @Test
  void aLocalAddressThisHostDoesNotHaveFails() throws Exception {
    responder = Responder.start(0, request -> List.of());
    InetAddress absent = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) 213});

    IkeProbeResult result = probe.probe(Optional.of(absent), responder.address(), TIMEOUT);

    assertThat(result).isInstanceOf(IkeProbeResult.Failed.class);
    assertThat(((IkeProbeResult.Failed) result).reason()).startsWith("cannot bind to 192.0.2.213");
    assertThat(responder.requests).isEmpty();
  }

  @Test
  void onPort4500TheRequestCarriesTheMarkerAndTheAnswerLosesIt() throws Exception {
    try {
      responder =
          Responder.start(4500, request -> {
            if (request.length < 4 || request[0] != 0 || request[1] != 0 || request[2] != 0 || request[3] != 0) {
              return List.of();
            }
            long spi = IkeTestMessages.initiatorSpiOf(Arrays.copyOfRange(request, 4, request.length));
            // An ESP-looking datagram first: on 4500 it must be ignored, not parsed as IKE.
            return List.of(new byte[] {(byte) 0xce, 0x21, 0x5e, (byte) 0xaf, 0, 0, 0, 1},
                NonEspMarker.prepend(IkeTestMessages.noProposalChosen(spi)));
          });
    } catch (SocketException e) {
      assumeThat(e).as("127.0.0.1:4500 is taken on this host").isNull();
    }

    IkeProbeResult result = probe.probe(Optional.of(LOOPBACK), responder.address(), TIMEOUT);

    assertThat(result).isInstanceOf(IkeProbeResult.Answered.class);
    assertThat(((IkeProbeResult.Answered) result).what()).isEqualTo("NO_PROPOSAL_CHOSEN");
    assertThat(Arrays.copyOf(responder.requests.get(0), 4)).containsExactly(0, 0, 0, 0);
  }

  @Test
  void oneProbeServesManyThreadsAtOnce() throws Exception {
    responder = Responder.start(0, request -> List.of(IkeTestMessages.noProposalChosen(IkeTestMessages.initiatorSpiOf(request))));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<IkeProbeResult>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(pool.submit(() -> probe.probe(Optional.empty(), responder.address(), Duration.ofSeconds(2))));
      }
      for (Future<IkeProbeResult> f : results) {
        assertThat(f.get().answered()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private int responderSeen() {
    return responder == null ? 0 : responder.requests.size();
  }

  /** Receives on loopback and sends back what the policy makes of each request. */
  static final class Responder implements AutoCloseable {

    final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final DatagramSocket socket;
    private final Thread thread;
    private volatile boolean closed;

    private Responder(DatagramSocket socket, Function<byte[], List<byte[]>> policy) {
      this.socket = socket;
      this.thread = new Thread(() -> serve(policy), "ike-responder");
      thread.setDaemon(true);
    }

    static Responder start(int port, Function<byte[], List<byte[]>> policy) throws SocketException {
      DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
      socket.setSoTimeout(100);
      Responder responder = new Responder(socket, policy);
      responder.thread.start();
      return responder;
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void awaitRequests(int count) throws InterruptedException {
      for (int i = 0; i < 50 && requests.size() < count; i++) {
        Thread.sleep(20);
      }
    }

    private void serve(Function<byte[], List<byte[]>> policy) {
      byte[] buffer = new byte[65535];
      while (!closed) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
          byte[] request = Arrays.copyOf(packet.getData(), packet.getLength());
          requests.add(request);
          for (byte[] reply : policy.apply(request)) {
            socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
          }
        } catch (SocketTimeoutException e) {
          // look at closed again
        } catch (IOException e) {
          return;
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      socket.close();
    }
  }
}
