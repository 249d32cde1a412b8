package org.tunnelwatch.tunnel;

import java.time.Duration;
import java.util.List;
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
        failure = null;
      } catch (BackendException e) {
        sas = null;
        failure = e;
      }
      readAtNanos = now;
    }
    if (failure != null) {
      throw failure;
    }
    return sas;
  }

  /** Forgets the cached answer, after an action changed the SAs. */
  public synchronized void invalidate() {
    sas = null;
    failure = null;
  }
}
