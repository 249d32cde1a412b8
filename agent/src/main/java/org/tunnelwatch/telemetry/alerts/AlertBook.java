package org.tunnelwatch.telemetry.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's alerts and their latest state, firing or resolved, each stamped with a change
 * counter. Receivers remember up to which change they have been told, so that a resolution is
 * delivered to each receiver until it has taken it, however long that receiver was unreachable,
 * and nothing else has to be queued: the book holds one entry per alert, which bounds it by the
 * number of tunnels and uplinks.
 *
 * <p>Thread-safe: changed from probing threads, read by the sender's thread. Every method is
 * short and never blocks on I/O.
 */
public final class AlertBook {

  private final Map<Map<String, String>, Alert> alerts = new HashMap<>();
  private long version;

  /** What a receiver is to be sent, and the change counter it then has been told up to. */
  public record Snapshot(List<Alert> alerts, long version) {}

  /** Starts the alert, unless it already fires. Returns whether anything changed. */
  public synchronized boolean fire(Map<String, String> labels, Map<String, String> annotations, Instant at) {
    Alert current = alerts.get(labels);
    if (current != null && current.firing()) {
      return false;
    }
    alerts.put(Map.copyOf(labels), new Alert(labels, annotations, at, Optional.empty(), ++version));
    return true;
  }

  /** Resolves the alert, if it fires. Returns whether anything changed. */
  public synchronized boolean resolve(Map<String, String> labels, Instant at) {
    Alert current = alerts.get(labels);
    if (current == null || !current.firing()) {
      return false;
    }
    alerts.put(current.labels(), new Alert(labels, current.annotations(), current.startsAt(), Optional.of(at), ++version));
    return true;
  }

  /** Every firing alert, and the resolved ones that changed after change {@code since}. */
  public synchronized Snapshot since(long since) {
    List<Alert> out = new ArrayList<>();
    for (Alert alert : alerts.values()) {
      if (alert.firing() || alert.version() > since) {
        out.add(alert);
      }
    }
    out.sort(java.util.Comparator.comparing(a -> a.labels().toString()));
    return new Snapshot(List.copyOf(out), version);
  }

  public synchronized long version() {
    return version;
  }

  public synchronized int firing() {
    return (int) alerts.values().stream().filter(Alert::firing).count();
  }
}
