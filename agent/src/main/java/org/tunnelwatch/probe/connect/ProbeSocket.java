package org.tunnelwatch.probe.connect;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.ProbeKind;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * One TCP connect or one UDP datagram, from a non-blocking socket bound to the request's source
 * address. The engine opens it, waits on the selector for {@link #interest}, then asks {@link
 * #answered} whether what came back is an answer. Not thread-safe: the engine's thread only.
 */
final class ProbeSocket {

  /** What a datagram probe carries: something an echo service sends back and a log can explain. */
  static final byte[] DATAGRAM = "tunnelwatch probe\n".getBytes(StandardCharsets.US_ASCII);

  private final SelectableChannel channel;
  private final int interest;
  private final boolean connectedAtOnce;

  private ProbeSocket(SelectableChannel channel, int interest, boolean connectedAtOnce) {
    this.channel = channel;
    this.interest = interest;
    this.connectedAtOnce = connectedAtOnce;
  }

  /**
   * Opens, binds and sends, creating the socket in {@code context} (the agent's: the calling
   * thread).
   *
   * @throws BindFailure when the source address cannot be bound: no probe left, a probe error
   * @throws IOException when the kernel refuses to send (no route): no probe left either
   */
  static ProbeSocket open(EchoRequest request, SocketContext context) throws IOException {
    try {
      return context.call(() -> open(request));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private static ProbeSocket open(EchoRequest request) throws IOException {
    StandardProtocolFamily family =
        request.source() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    InetSocketAddress source = new InetSocketAddress(request.source(), 0);
    InetSocketAddress target = new InetSocketAddress(request.target(), request.port());
    if (request.kind() == ProbeKind.TCP) {
      SocketChannel tcp = SocketChannel.open(family);
      try {
        tcp.configureBlocking(false);
        // Closing sends a reset rather than a FIN: a thousand probes a second must not leave a
        // thousand sockets a second in TIME_WAIT, each holding a local port of the source address.
        tcp.setOption(StandardSocketOptions.SO_LINGER, 0);
        bind(() -> tcp.bind(source), request);
        boolean connected = tcp.connect(target);
        return new ProbeSocket(tcp, SelectionKey.OP_CONNECT, connected);
      } catch (IOException | RuntimeException e) {
        tcp.close();
        throw e;
      }
    }
    DatagramChannel udp = DatagramChannel.open(family);
    try {
      udp.configureBlocking(false);
      bind(() -> udp.bind(source), request);
      // Connected, so that the kernel hands this socket the ICMP port-unreachable error, if any.
      udp.connect(target);
      udp.write(ByteBuffer.wrap(DATAGRAM));
      return new ProbeSocket(udp, SelectionKey.OP_READ, false);
    } catch (IOException | RuntimeException e) {
      udp.close();
      throw e;
    }
  }

  private interface Bind {
    void run() throws IOException;
  }

  private static void bind(Bind bind, EchoRequest request) throws BindFailure {
    try {
      bind.run();
    } catch (IOException e) {
      throw new BindFailure("cannot bind source address " + request.source().getHostAddress() + ": " + e.getMessage());
    }
  }

  /** The source address cannot be bound. */
  static final class BindFailure extends IOException {
    BindFailure(String message) {
      super(message);
    }
  }

  SelectableChannel channel() {
    return channel;
  }

  int interest() {
    return interest;
  }

  /** Whether a TCP connect completed inside {@code connect} itself (loopback may). */
  boolean connectedAtOnce() {
    return connectedAtOnce;
  }

  /** What the socket says once the selector finds it ready. */
  enum Outcome {
    /** The target answered: the path works. */
    ANSWERED,
    /** An error other than the target's own refusal (host unreachable): no answer. */
    NOT_ANSWERED,
    /** Nothing yet after all (a spurious wake-up): keep waiting. */
    PENDING
  }

  /**
   * Called when the selector says the socket is ready. A TCP handshake and a refusal (the
   * target's reset) both answer: the path works. A UDP reply and a port-unreachable error answer
   * too. Any other error (host unreachable) is no answer.
   */
  Outcome outcome() {
    try {
      if (channel instanceof SocketChannel tcp) {
        return tcp.finishConnect() ? Outcome.ANSWERED : Outcome.PENDING;
      }
      return ((DatagramChannel) channel).receive(ByteBuffer.allocate(64)) != null ? Outcome.ANSWERED : Outcome.PENDING;
    } catch (ConnectException e) {
      return "Connection refused".equals(e.getMessage()) ? Outcome.ANSWERED : Outcome.NOT_ANSWERED;
    } catch (PortUnreachableException e) {
      return Outcome.ANSWERED;
    } catch (IOException | RuntimeException e) {
      return Outcome.NOT_ANSWERED;
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do: the socket is gone either way.
    }
  }
}
