package org.tunnelwatch.ipsec.ike;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An "IKE ping": sends one IKE_SA_INIT that the peer refuses (see {@link IkeSaInitRequest}) and
 * tells whether its IKE daemon answered. Blocking and bounded by the timeout; runs on the caller's
 * thread only; keeps no state between probes, so any number of threads may share one.
 */
public final class IkePeerProbe {

  private static final Logger log = LoggerFactory.getLogger(IkePeerProbe.class);

  /** The retransmission goes out this far into the timeout: one lost datagram is not silence. */
  private static final double RESEND_AT = 0.4;

  private static final int MAX_DATAGRAM = 65_535;

  private final RandomGenerator random;

  public IkePeerProbe() {
    this(new SecureRandom());
  }

  /** @param random for SPIs and nonces; must be thread-safe if the probe is shared */
  public IkePeerProbe(RandomGenerator random) {
    this.random = Objects.requireNonNull(random);
  }

  /**
   * Probes the IKE daemon at {@code peer}.
   *
   * @param local the address to send from (ephemeral port), so that the request leaves by the
   *     IKE SA's path; empty to let routing choose
   * @param peer the peer's IKE address and port; on port 4500 the request carries the non-ESP
   *     marker
   * @param timeout how long to wait in total, at most
   * @return never null; network conditions are results, not exceptions
   */
  public IkeProbeResult probe(Optional<InetAddress> local, InetSocketAddress peer, Duration timeout) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(peer, "peer");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (peer.isUnresolved()) {
      return new IkeProbeResult.Failed("peer address not resolved: " + peer.getHostString());
    }
    IkeSaInitRequest request = IkeSaInitRequest.create(random);
    boolean marker = NonEspMarker.usedOn(peer.getPort());
    byte[] datagram = marker ? NonEspMarker.prepend(request.bytes()) : request.bytes();
    String step = "open a UDP socket";
    try (DatagramChannel channel = DatagramChannel.open(family(peer.getAddress()));
        Selector selector = Selector.open()) {
      if (local.isPresent()) {
        step = "bind to " + local.get().getHostAddress();
        channel.bind(new InetSocketAddress(local.get(), 0));
      }
      // Connected: the kernel passes on only the peer's datagrams, and reports its ICMP port
      // unreachable to us as PortUnreachableException.
      step = "connect to " + peer;
      channel.connect(peer);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      step = "exchange with " + peer;
      return exchange(channel, selector, datagram, request.initiatorSpi(), marker, timeout);
    } catch (PortUnreachableException e) {
      return new IkeProbeResult.Failed("port unreachable: no IKE daemon listens at " + peer);
    } catch (BindException e) {
      return new IkeProbeResult.Failed("cannot " + step + ": " + e.getMessage());
    } catch (NoRouteToHostException e) {
      return new IkeProbeResult.Failed("no route: " + step + ": " + e.getMessage());
    } catch (ClosedByInterruptException e) {
      Thread.currentThread().interrupt();
      return new IkeProbeResult.Failed("interrupted");
    } catch (IOException | SecurityException e) {
      return new IkeProbeResult.Failed("cannot " + step + ": " + e.getMessage());
    }
  }

  private static IkeProbeResult exchange(
      DatagramChannel channel, Selector selector, byte[] datagram, long spi, boolean marker, Duration timeout)
      throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long resendAt = start + (long) (timeout.toNanos() * RESEND_AT);
    ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
    channel.write(ByteBuffer.wrap(datagram));
    int sent = 1;
    int ignored = 0;
    while (true) {
      long now = System.nanoTime();
      if (sent < 2 && now >= resendAt) {
        channel.write(ByteBuffer.wrap(datagram)); // same SPI: a retransmission, not a new probe
        sent++;
      }
      if (now >= deadline) {
        return new IkeProbeResult.Silent(Duration.ofNanos(now - start), sent, ignored);
      }
      if (Thread.currentThread().isInterrupted()) {
        return new IkeProbeResult.Failed("interrupted");
      }
      long wakeAt = sent < 2 ? resendAt : deadline;
      selector.select(Math.max(1, (wakeAt - now + 999_999) / 1_000_000));
      selector.selectedKeys().clear();
      for (int n = 0; n < 64; n++) { // drain what arrived, bounded against a flood
        in.clear();
        if (channel.read(in) <= 0) {
          break;
        }
        in.flip();
        IkeReply reply = read(in, spi, marker);
        if (reply instanceof IkeReply.Answer answer) {
          return new IkeProbeResult.Answered(answer.what(), Duration.ofNanos(System.nanoTime() - start), sent);
        }
        ignored++;
        log.debug("IKE probe ignored a datagram: {}", ((IkeReply.NotAnAnswer) reply).reason());
      }
    }
  }

  private static IkeReply read(ByteBuffer datagram, long spi, boolean marker) {
    if (!marker) {
      return IkeResponseParser.parse(datagram, spi);
    }
    return NonEspMarker.strip(datagram)
        .map(ike -> IkeResponseParser.parse(ike, spi))
        .orElseGet(() -> new IkeReply.NotAnAnswer("no non-ESP marker: ESP or a keepalive on port 4500"));
  }

  private static StandardProtocolFamily family(InetAddress address) {
    return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
  }
}
