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
 * tunnel. Thread-safe; callers that arrive during a read wait for its answer.
 */
public final class SaReader {

  private final IpsecBackend backend;
  private final TimeSource time;
  private final long maxAgeNanos;

  private long readAtNanos;
  private List<IkeSa> sas;
  private Map<String, List<IkeSa>> byName;
  private BackendException failure;

  public SaReader(IpsecBackend backend, TimeSource time, Duration maxAge) {
    this.backend = backend;
    this.time = time;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** The SAs, read at most {@code maxAge} ago. */
  public synchronized List<IkeSa> read() throws BackendException {
    long now = time.monotonicNanos();
    if ((sas == null && failure == null) || now - readAtNanos >= maxAgeNanos) {
      try {
        sas = backend.listSas();
        byName = null;
        failure = null;
      } catch (BackendException e) {
        sas = null;
        byName = null;
        failure = e;
      }
      readAtNanos = now;
    }
    if (failure != null) {
      throw failure;
    }
    return sas;
  }

  /**
   * The IKE SAs named {@code ike} (an IKE connection may have several, during a rekey), read at
   * most {@code maxAge} ago. Each round asks for its own tunnel's: an index of the shared answer
   * spares a thousand tunnels a thousand scans of a thousand SAs a second.
   */
  public synchronized List<IkeSa> readNamed(String ike) throws BackendException {
    List<IkeSa> all = read();
    if (byName == null) {
      byName = new HashMap<>();
      for (IkeSa sa : all) {
        byName.computeIfAbsent(sa.name(), n -> new ArrayList<>()).add(sa);
      }
    }
    return byName.getOrDefault(ike, List.of());
  }

  /** Forgets the cached answer, after an action changed the SAs. */
  public synchronized void invalidate() {
    sas = null;
    byName = null;
    failure = null;
  }
}
