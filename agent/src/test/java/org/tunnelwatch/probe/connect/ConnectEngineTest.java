package org.tunnelwatch.probe.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.probe.ProbeKind;

/**
 * The connect engine against real loopback sockets: a listening port, a closed one, a UDP echo
 * service and a UDP port that never answers. A TCP target that never answers needs an address
 * that drops packets, which only a test namespace gives: {@link ConnectEngineIT}.
 */
class ConnectEngineTest {

  private static final InetAddress LOOPBACK = IpAddresses.parseLiteral("127.0.0.1").orElseThrow();
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private ConnectEngine engine;

  @BeforeEach
  void start() throws IOException {
    engine = ConnectEngine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private static EchoRequest request(ProbeKind kind, int port) {
    return new EchoRequest(LOOPBACK, LOOPBACK, 3, Duration.ofMillis(20), TIMEOUT, kind, port);
  }

  private CompletableFuture<EchoResult> submit(EchoRequest request) {
    CompletableFuture<EchoResult> result = new CompletableFuture<>();
    engine.submit(request, (r, echo) -> result.complete(echo));
    return result;
  }

  private EchoResult probe(EchoRequest request) throws Exception {
    // The contract's bound: the request's budget plus a margin, never an open-ended wait.
    return submit(request).get(request.budget().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A port nothing listens on: bound, then closed again. */
  private static int closedTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  @Nested
  class Tcp {
    @Test
    void aListeningPortAnswersEachConnectWithItsHandshakeTime() throws Exception {
      try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
        EchoResult result = probe(request(ProbeKind.TCP, server.getLocalPort()));

        assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
        assertThat(result.sent()).isEqualTo(3);
        assertThat(result.rtts()).hasSize(3).allSatisfy(rtt -> assertThat(rtt).isPositive().isLessThan(TIMEOUT));
      }
    }

    @Test
    void aRefusedConnectIsAnAnswerBecauseThePathWorks() throws Exception {
      EchoResult result = probe(request(ProbeKind.TCP, closedTcpPort()));

      assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
      assertThat(result.received()).isEqualTo(3);
    }

    @Test
    void aSourceNoInterfaceHoldsIsAnErrorThatSaysSo() throws Exception {
      // 192.0.2.77 is on no interface: nothing can be sent, so nothing leaves the machine.
      EchoRequest request =
          new EchoRequest(
              IpAddresses.parseLiteral("192.0.2.77").orElseThrow(), LOOPBACK, 3, Duration.ofMillis(20), TIMEOUT,
              ProbeKind.TCP, 443);

      EchoResult result = probe(request);

      assertThat(result.status()).isEqualTo(EchoStatus.ERROR);
      assertThat(result.detail()).contains("cannot bind source address 192.0.2.77").contains("Cannot assign requested address");
    }

    @Test
    void manyRequestsAtOnceAllGetTheirResultFromTheOneThread() throws Exception {
      try (ServerSocket server = new ServerSocket(0, 500, LOOPBACK)) {
        List<CompletableFuture<EchoResult>> results = new ArrayList<>();
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 200; i++) {
          CompletableFuture<EchoResult> result = new CompletableFuture<>();
          engine.submit(
              new EchoRequest(LOOPBACK, LOOPBACK, 1, Duration.ofMillis(20), Duration.ofSeconds(2), ProbeKind.TCP, server.getLocalPort()),
              (r, echo) -> {
                threads.add(Thread.currentThread().getName());
                result.complete(echo);
              });
          results.add(result);
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(results).allSatisfy(r -> assertThat(r.join().received()).isEqualTo(1));
        assertThat(threads).containsOnly("connect-probes");
      }
    }
  }

  @Nested
  class Udp {
    @Test
    void anEchoServiceAnswersEachDatagram() throws Exception {
      try (DatagramSocket echo = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        Thread service = echoing(echo);
        EchoResult result = probe(request(ProbeKind.UDP, echo.getLocalPort()));
        service.interrupt();

        assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
        assertThat(result.rtts()).hasSize(3).allSatisfy(rtt -> assertThat(rtt).isPositive().isLessThan(TIMEOUT));
      }
    }

    @Test
    void aPortUnreachableErrorIsAnAnswerBecauseThePathWorks() throws Exception {
      int closed;
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        closed = s.getLocalPort();
      }

      EchoResult result = probe(request(ProbeKind.UDP, closed));

      assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
      assertThat(result.received()).isEqualTo(3);
    }

    @Test
    void aPortThatSwallowsTheDatagramsTimesOutWithEveryProbeLost() throws Exception {
      try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        EchoResult result = probe(request(ProbeKind.UDP, silent.getLocalPort()));

        assertThat(result.status()).isEqualTo(EchoStatus.TIMEOUT);
        assertThat(result.sent()).isEqualTo(3);
        assertThat(result.received()).isZero();
      }
    }

    /** Sends every datagram back to where it came from, until interrupted or closed. */
    private Thread echoing(DatagramSocket socket) {
      Thread thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[512];
                while (!Thread.currentThread().isInterrupted()) {
                  DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                  try {
                    socket.receive(packet);
                    socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "udp-echo");
      thread.setDaemon(true);
      thread.start();
      return thread;
    }
  }

  @Test
  void anIcmpRequestIsRefusedAsAProbeErrorNotSentAsSomethingElse() throws Exception {
    EchoResult result = probe(new EchoRequest(LOOPBACK, LOOPBACK, 1, Duration.ofMillis(20), TIMEOUT));

    assertThat(result.status()).isEqualTo(EchoStatus.ERROR);
  }

  @Test
  void requestsInFlightWhenTheEngineClosesEndWithAnError() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      CompletableFuture<EchoResult> result =
          submit(new EchoRequest(LOOPBACK, LOOPBACK, 1, Duration.ofMillis(20), Duration.ofSeconds(30), ProbeKind.UDP, silent.getLocalPort()));
      engine.close();

      assertThat(result.get(5, TimeUnit.SECONDS).status()).isEqualTo(EchoStatus.ERROR);
      assertThat(probe(request(ProbeKind.TCP, 1)).detail()).isEqualTo("probe engine closed");
    }
  }
}
