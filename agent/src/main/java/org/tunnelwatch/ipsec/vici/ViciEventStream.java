package org.tunnelwatch.ipsec.vici;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.ipsec.Backoff;

/**
 * A connection of its own that listens for charon's events ({@code ike-updown}, {@code
 * child-updown}, {@code ike-rekey}, {@code child-rekey}, or any others) and hands them to a
 * listener. When charon goes away (restart, crash) the stream says so and reconnects with
 * exponential backoff; after every (re)connection the listener is told, so that it can read the
 * state afresh: events sent while nobody listened are lost.
 *
 * <p>Thread-safety: runs on one daemon thread of its own, on which the listener is called;
 * {@link #close()} may be called from any thread and returns once the thread has ended.
 */
public final class ViciEventStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ViciEventStream.class);

  /** An idle stream is normal; wait this long for an event before asking again. */
  private static final Duration IDLE = Duration.ofMinutes(10);

  /** What the stream reports. Called on the stream's thread; must be quick and not throw. */
  public interface Listener {

    /** Subscribed to every event; {@code again} after a lost connection: resynchronise. */
    void subscribed(boolean again);

    /** An event arrived. */
    void event(String name, ViciMessage message);

    /** The connection was lost or could not be made; the stream retries by itself. */
    default void disconnected(String reason) {}
  }

  private final Path socket;
  private final List<String> events;
  private final Listener listener;
  private final Backoff backoff;
  private final Duration timeout;
  private final Thread thread;
  private final Object sleeper = new Object();
  private volatile boolean closed;
  private volatile ViciConnection connection;

  /**
   * @param socket charon's VICI socket
   * @param events the event names to register for
   * @param listener where events go
   * @param backoff waits between reconnection attempts
   * @param timeout how long one registration or one frame may take
   */
  public ViciEventStream(Path socket, List<String> events, Listener listener, Backoff backoff, Duration timeout) {
    this.socket = socket;
    this.events = List.copyOf(events);
    this.listener = listener;
    this.backoff = backoff;
    this.timeout = timeout;
    this.thread = new Thread(this::run, "vici-events");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void close() {
    closed = true;
    ViciConnection c = connection;
    if (c != null) {
      c.close();
    }
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    try {
      thread.join(timeout.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    boolean subscribedBefore = false;
    String lastProblem = null;
    while (!closed) {
      try (ViciConnection c = ViciConnection.open(socket)) {
        connection = c;
        if (closed) {
          return;
        }
        for (String event : events) {
          register(c, event);
        }
        backoff.reset();
        lastProblem = null;
        if (subscribedBefore) {
          // The SA reader's BackendHealth says once that the daemon answers again.
          log.debug("listening to charon's events on {} again", socket);
        } else {
          log.info("listening to charon's events on {}", socket);
        }
        boolean again = subscribedBefore;
        safely(() -> listener.subscribed(again));
        subscribedBefore = true;
        while (!closed) {
          Packet packet = c.receive(IDLE, timeout);
          if (packet.type() == PacketType.EVENT) {
            safely(() -> listener.event(packet.name(), packet.message()));
          }
          // Anything else is a reply to nothing we asked on this connection; ignore it.
        }
      } catch (ViciTimeoutException e) {
        // Idle for IDLE: reconnecting now and then also proves the socket still works.
        if (!closed) {
          log.debug("no event from charon for a while, reconnecting: {}", e.getMessage());
        }
        continue;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        String problem = e.getMessage();
        if (!problem.equals(lastProblem)) {
          // Once per kind of problem, not once per retry; at debug, since a daemon that went
          // away is reported once, by the SA reader's BackendHealth, for both connections.
          log.debug("charon's event stream on {}: {}; retrying with backoff", socket, problem);
          lastProblem = problem;
        }
        safely(() -> listener.disconnected(problem));
      } finally {
        connection = null;
      }
      pause(backoff.next());
    }
  }

  /** A listener's bug must not end the stream. */
  private static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("VICI event listener failed", e);
    }
  }

  private void register(ViciConnection c, String event) throws IOException {
    c.send(Packet.register(event), timeout);
    Packet reply = c.receive(timeout);
    if (reply.type() == PacketType.EVENT_UNKNOWN) {
      throw new ViciCommandException("charon has no event \"" + event + "\"");
    }
    if (reply.type() != PacketType.EVENT_CONFIRM) {
      throw new ViciProtocolException("unexpected " + reply.type() + " packet in reply to registering " + event);
    }
  }

  private void pause(Duration wait) {
    synchronized (sleeper) {
      if (!closed) {
        try {
          sleeper.wait(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
    }
  }
}
