package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * allows, and every round meanwhile gets the last failure. Thread-safe; callers that
 * arrive during a read wait for its answer.
 */
public final class SaReader {

  /** The oldest answer a round with every echo answered accepts (at least {@code maxAge}). */
  public static final Duration ROUTINE_MAX_AGE = Duration.ofSeconds(10);

  private final IpsecBackend backend;
  private final TimeSource time;
  private final long maxAgeNanos;
  private final long routineMaxAgeNanos;
  private final BackendHealth health;

  /**
   * The last answer (or failure) and when it came, with its index by IKE name built once. Replaced
   * whole, so that a round that finds it fresh enough reads it without taking the lock.
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
  }

  private volatile Answer answer;

  public SaReader(IpsecBackend backend, TimeSource time, Duration maxAge, BackendHealth health) {
    this.backend = backend;
    this.time = time;
    this.maxAgeNanos = maxAge.toNanos();
    this.routineMaxAgeNanos = Math.max(maxAgeNanos, ROUTINE_MAX_AGE.toNanos());
    this.health = health;
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
    return answerLocked(ageNanos);
  }

  private synchronized Answer answerLocked(long ageNanos) throws BackendException {
    long now = time.monotonicNanos();
    Answer current = answer;
    boolean stale = current == null || !current.youngerThan(ageNanos, now);
    if (stale && (current == null || health.mayAsk(now))) { // nothing at all to give: ask
      try {
        current = Answer.of(now, backend.listSas());
        health.answered(now);
      } catch (BackendException e) {
        current = Answer.failed(now, e);
        health.failed(now, e.getMessage());
      }
      answer = current;
    }
    if (current.failure() != null) {
      throw current.failure();
    }
    return current;
  }

  /**
   * Forgets the cached answer, after an action changed the SAs; a daemon that did not answer is
   * asked again at the next read, since the action (a service restart) may have brought it back.
   */
  public synchronized void invalidate() {
    answer = null;
    health.retryNow(time.monotonicNanos());
  }
}
