package org.tunnelwatch.probe.connect;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.probe.AsyncEchoProber;
import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.ProbeKind;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * Probes TCP and UDP targets from one thread and one NIO selector for all tunnels: a request's
 * {@code count} probes leave {@code spacing} apart, each from a non-blocking socket bound to the
 * source address, and each ends when the target answers (see {@link ProbeSocket#outcome}) or
 * after {@code timeout}. The RTT of a TCP probe is the handshake (or refusal), that of a UDP
 * probe the reply (or port-unreachable error).
 *
 * <p>Thread-safe: {@link #submit} from any thread; callbacks run on the engine's thread, within
 * the scope given to {@link #deliverWithin}.
 */
public final class ConnectEngine implements AsyncEchoProber {

  private static final Logger log = LoggerFactory.getLogger(ConnectEngine.class);

  private final Selector selector;
  private final LongSupplier nanoTime;
  private final SocketContext sockets;
  private final Queue<ConnectFlight> submitted = new ConcurrentLinkedQueue<>();
  /** Probes to start and probes to give up on, by time; the engine's thread only. */
  private final PriorityQueue<Due> due = new PriorityQueue<>();
  private final List<ConnectFlight> finished = new ArrayList<>();
  private final Thread thread;
  private volatile Consumer<Runnable> scope = Runnable::run;
  private volatile boolean closed;
  private long sequence;

  private ConnectEngine(Selector selector, LongSupplier nanoTime, SocketContext sockets) {
    this.selector = selector;
    this.nanoTime = nanoTime;
    this.sockets = sockets;
    this.thread = new Thread(this::run, "connect-probes");
    thread.setDaemon(true);
  }

  /** Opens the selector and starts the engine's thread. */
  public static ConnectEngine start() throws IOException {
    return start(SocketContext.callingThread());
  }

  /** As {@link #start()}, creating the sockets in {@code sockets} (tests: a test namespace). */
  public static ConnectEngine start(SocketContext sockets) throws IOException {
    ConnectEngine engine = new ConnectEngine(Selector.open(), System::nanoTime, sockets);
    engine.thread.start();
    return engine;
  }

  @Override
  public void submit(EchoRequest request, EchoCallback callback) {
    if (request.kind() == ProbeKind.ICMP) {
      callback.completed(request, EchoResult.error(request.target(), "the connect engine does not send ICMP echoes"));
      return;
    }
    if (closed) {
      callback.completed(request, EchoResult.error(request.target(), "probe engine closed"));
      return;
    }
    submitted.add(new ConnectFlight(request, callback));
    selector.wakeup();
  }

  @Override
  public void deliverWithin(Consumer<Runnable> scope) {
    this.scope = scope;
  }

  @Override
  public String name() {
    return "TCP/UDP connect engine";
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A probe to start ({@code socket} null) or to give up on, at {@code atNanos}. */
  private record Due(long atNanos, long sequence, ConnectFlight flight, ProbeSocket socket) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(atNanos, other.atNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  /** A probe in flight: its flight, socket and start; the selection key's attachment. */
  private record Probe(ConnectFlight flight, ProbeSocket socket, long sentNanos) {}

  private void run() {
    try {
      while (!closed) {
        long wait = waitMillis();
        if (wait < 0) {
          selector.selectNow(this::ready);
        } else {
          selector.select(this::ready, wait);
        }
        long now = nanoTime.getAsLong();
        for (ConnectFlight flight; (flight = submitted.poll()) != null; ) {
          schedule(flight, now);
        }
        runDue(now);
        deliver();
      }
    } catch (IOException | ClosedSelectorException e) {
      log.error("TCP/UDP probe engine stopped: {}", e.toString());
    } finally {
      shutDown();
    }
  }

  /** How long the selector may sleep: until the next due time (-1: none, it is due), 0 until woken. */
  private long waitMillis() {
    Due next = due.peek();
    if (next == null) {
      return 0; // no time limit
    }
    long nanos = next.atNanos - nanoTime.getAsLong();
    return nanos <= 0 ? -1 : Math.max(1, (nanos + 999_999) / 1_000_000);
  }

  private void schedule(ConnectFlight flight, long now) {
    long spacing = flight.request.spacing().toNanos();
    for (int i = 0; i < flight.request.count(); i++) {
      due.add(new Due(now + i * spacing, sequence++, flight, null));
    }
  }

  private void runDue(long now) {
    while (!due.isEmpty() && due.peek().atNanos <= now) {
      Due d = due.poll();
      if (d.socket == null) {
        send(d.flight);
      } else if (d.socket.channel().isOpen()) {
        d.socket.close(); // timed out
        end(d.flight, null);
      }
    }
  }

  private void send(ConnectFlight flight) {
    if (flight.done()) {
      return; // failed already: the rest are not sent
    }
    // Read per probe, not once per turn: a turn may open a thousand sockets, and the time spent
    // on the earlier ones is no part of the later ones' round trip.
    long now = nanoTime.getAsLong();
    ProbeSocket socket;
    try {
      socket = ProbeSocket.open(flight.request, sockets);
    } catch (IOException | RuntimeException e) {
      // A runtime exception too: one odd request must not end the thread that all others wait on.
      flight.failed(e instanceof ProbeSocket.BindFailure ? e.getMessage() : "cannot send: " + e.getMessage());
      finished.add(flight);
      return;
    }
    flight.sent();
    Probe probe = new Probe(flight, socket, now);
    if (socket.connectedAtOnce()) {
      socket.close();
      end(flight, Duration.ofNanos(nanoTime.getAsLong() - now));
      return;
    }
    try {
      socket.channel().register(selector, socket.interest(), probe);
    } catch (IOException | RuntimeException e) {
      socket.close();
      end(flight, null);
      return;
    }
    due.add(new Due(now + flight.request.timeout().toNanos(), sequence++, flight, socket));
  }

  private void ready(SelectionKey key) {
    Probe probe = (Probe) key.attachment();
    ProbeSocket.Outcome outcome = probe.socket.outcome();
    if (outcome == ProbeSocket.Outcome.PENDING) {
      return;
    }
    long now = nanoTime.getAsLong();
    probe.socket.close();
    end(probe.flight, outcome == ProbeSocket.Outcome.ANSWERED ? Duration.ofNanos(now - probe.sentNanos) : null);
  }

  private void end(ConnectFlight flight, Duration rtt) {
    if (flight.done()) {
      return;
    }
    flight.ended(rtt);
    if (flight.done()) {
      finished.add(flight);
    }
  }

  /** Hands this turn's results on together, within the receiver's scope. */
  private void deliver() {
    if (finished.isEmpty()) {
      return;
    }
    List<ConnectFlight> batch = List.copyOf(finished);
    finished.clear();
    try {
      scope.accept(() -> batch.forEach(ConnectEngine::complete));
    } catch (RuntimeException e) {
      log.error("delivering TCP/UDP probe results failed", e);
    }
  }

  private static void complete(ConnectFlight flight) {
    try {
      flight.callback.completed(flight.request, flight.result());
    } catch (RuntimeException e) {
      log.error("a TCP/UDP probe callback failed", e);
    }
  }

  /** Closes every socket and answers every request still open with an error. */
  private void shutDown() {
    List<ConnectFlight> open = new ArrayList<>(submitted);
    for (Due d : due) {
      if (d.socket != null) {
        d.socket.close();
      }
      if (!d.flight.done() && !open.contains(d.flight)) {
        open.add(d.flight);
      }
    }
    due.clear();
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (ConnectFlight flight : open) {
      flight.failed("probe engine closed");
      complete(flight);
    }
  }
}
