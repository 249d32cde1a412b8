package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.time.TimeSource;

/**
 * Reads the daemon's SAs for every tunnel at once and shares the answer for a short while, so
 * that a gateway with many tunnels asks the daemon once per round period rather than once per
 * tunnel. A round whose echoes all came back needs the SAs only for its report (status, SA
 * gauges), not to judge or repair, and takes an answer up to {@link #ROUTINE_MAX_AGE} old: a
 * healthy gateway then asks the daemon every few seconds, not twice a second (for a thousand
 * tunnels that is a thousand SAs listed and parsed each time, by charon and by the agent).
 * While the daemon does not answer, it is asked again only as {@link BackendHealth}'s backoff
 * allows, and every round meanwhile gets the last failure.
 *
 * <p>The daemon is asked on the {@code reads} executor, one read at a time, and a round waits
 * for a read at most {@link #ROUND_WAIT} from the read's start: a daemon that hangs (a socket
 * that accepts and never answers, a swanctl that never exits) holds up the read until the
 * backend's timeout, but not the rounds, which go on with the SAs unknown. Thread-safe.
 */
public final class SaReader {

  /** The oldest answer a round with every echo answered accepts (at least {@code maxAge}). */
  public static final Duration ROUTINE_MAX_AGE = Duration.ofSeconds(10);

  /**
   * How long rounds wait for a read, from its start: charon answers in milliseconds, and one that
   * takes longer is in trouble; the rounds then go on without its answer rather than wait for the
   * backend's timeout.
   */
  static final Duration ROUND_WAIT = Duration.ofMillis(500);

  private final IpsecBackend backend;
  private final TimeSource time;
  private final long maxAgeNanos;
  private final long routineMaxAgeNanos;
  private final BackendHealth health;
  private final Executor reads;

  /**
   * The last answer (or failure) and when the read that gave it began, with its index by IKE
   * name built once. Replaced whole, so that a round that finds it fresh enough reads it without
   * taking the lock.
   */
  private record Answer(long readAtNanos, List<IkeSa> sas, Map<String, List<IkeSa>> byName, BackendException failure) {

    static Answer of(long readAtNanos, List<IkeSa> sas) {
      Map<String, List<IkeSa>> byName = new HashMap<>();
      for (IkeSa sa : sas) {
        byName.computeIfAbsent(sa.name(), n -> new ArrayList<>()).add(sa);
      }
      return new Answer(readAtNanos, sas, byName, null);
    }

    static Answer failed(long readAtNanos, BackendException failure) {
      return new Answer(readAtNanos, null, Map.of(), failure);
    }

    boolean youngerThan(long ageNanos, long now) {
      return now - readAtNanos < ageNanos;
    }

    Answer orThrow() throws BackendException {
      if (failure != null) {
        throw failure;
      }
      return this;
    }
  }

  private volatile Answer answer;
  // Guarded by this: the read in flight (null if none) and when it began; when the SAs were last
  // changed by an action, so that a read begun before is not taken as showing its effect.
  private CompletableFuture<Answer> reading;
  private long readingSinceNanos;
  private long invalidatedAtNanos = Long.MIN_VALUE;

  /**
   * @param reads where the daemon is asked: a thread of its own in the agent, so that a hung
   *     daemon holds no round
   */
  public SaReader(IpsecBackend backend, TimeSource time, Duration maxAge, BackendHealth health, Executor reads) {
    this.backend = backend;
    this.time = time;
    this.maxAgeNanos = maxAge.toNanos();
    this.routineMaxAgeNanos = Math.max(maxAgeNanos, ROUTINE_MAX_AGE.toNanos());
    this.health = health;
    this.reads = reads;
  }

  /** A reader that asks the daemon on the caller's thread (for one-shot commands and tests). */
  public SaReader(IpsecBackend backend, TimeSource time, Duration maxAge, BackendHealth health) {
    this(backend, time, maxAge, health, Runnable::run);
  }

  /** A reader whose daemon's changes nobody hears of (for one-shot commands and tests). */
  public SaReader(IpsecBackend backend, TimeSource time, Duration maxAge) {
    this(backend, time, maxAge, new BackendHealth(backend.name(), new TunnelEvents() {}));
  }

  /** Whether the daemon answered the last attempt (or none was made yet). */
  public boolean backendReachable() {
    return health.reachable();
  }

  /** The SAs, read at most {@code maxAge} ago. */
  public List<IkeSa> read() throws BackendException {
    return answer(maxAgeNanos).sas();
  }

  /**
   * The IKE SAs named {@code ike} (an IKE connection may have several, during a rekey), read at
   * most {@code maxAge} ago, or {@link #ROUTINE_MAX_AGE} if {@code routine}. Each round asks for
   * its own tunnel's: an index of the shared answer spares a thousand tunnels a thousand scans
   * of a thousand SAs a second. The same answer gives the same list object, so that a caller can
   * tell an answer it has already seen.
   */
  public List<IkeSa> readNamed(String ike, boolean routine) throws BackendException {
    return answer(routine ? routineMaxAgeNanos : maxAgeNanos).byName().getOrDefault(ike, List.of());
  }

  /** A successful answer younger than {@code ageNanos}: the cached one, or a new one. */
  private Answer answer(long ageNanos) throws BackendException {
    Answer cached = answer;
    if (cached != null && cached.failure() == null && cached.youngerThan(ageNanos, time.monotonicNanos())) {
      return cached; // the usual case: no lock
    }
    CompletableFuture<Answer> read;
    long waitNanos;
    synchronized (this) {
      long now = time.monotonicNanos();
      Answer current = answer;
      if (current != null && current.youngerThan(ageNanos, now)) {
        return current.orThrow();
      }
      boolean readCurrent = reading != null && readingSinceNanos >= invalidatedAtNanos;
      if (!readCurrent) {
        if (current != null && !health.mayAsk(now)) {
          return current.orThrow(); // the daemon is away: the last failure until the backoff ends
        }
        readingSinceNanos = now;
        reading = new CompletableFuture<>();
        CompletableFuture<Answer> started = reading;
        try {
          reads.execute(() -> started.complete(readNow(now, started)));
        } catch (RejectedExecutionException e) {
          reading = null;
          throw new BackendException("the SA reader is stopped");
        }
        read = started;
      } else {
        read = reading;
      }
      waitNanos = ROUND_WAIT.toNanos() - (now - readingSinceNanos);
    }
    try {
      return read.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS).orThrow();
    } catch (TimeoutException e) {
      throw new BackendException(
          backend.name() + " has not answered within " + ROUND_WAIT.toMillis() + "ms; the round goes on without the SAs");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while waiting for the SAs");
    } catch (ExecutionException e) {
      throw new BackendException("reading the SAs failed: " + e.getCause());
    }
  }

  /** Asks the daemon (on the reads executor) and keeps the answer, unless an action came since. */
  private Answer readNow(long startedNanos, CompletableFuture<Answer> self) {
    Answer result;
    try {
      result = Answer.of(startedNanos, backend.listSas());
      health.answered(time.monotonicNanos());
    } catch (BackendException e) {
      result = Answer.failed(startedNanos, e);
      health.failed(time.monotonicNanos(), e.getMessage());
    } catch (RuntimeException e) {
      // A bug in a backend's parser must not leave the rounds waiting on a read forever.
      result = Answer.failed(startedNanos, new BackendException("listing the SAs failed: " + e));
      health.failed(time.monotonicNanos(), e.toString());
    }
    synchronized (this) {
      if (startedNanos >= invalidatedAtNanos) {
        answer = result;
      }
      if (reading == self) {
        reading = null;
      }
    }
    return result;
  }

  /**
   * Forgets the cached answer, after an action changed the SAs; a daemon that did not answer is
   * asked again at the next read, since the action (a service restart) may have brought it back.
   * Never waits for a read in flight.
   */
  public synchronized void invalidate() {
    long now = time.monotonicNanos();
    answer = null;
    invalidatedAtNanos = now;
    health.retryNow(now);
  }
}
