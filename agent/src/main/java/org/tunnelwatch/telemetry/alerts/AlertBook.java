package org.tunnelwatch.telemetry.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  /** Alerts whose condition holds but not yet for their hold: nobody is told of them. */
  private final Map<Map<String, String>, Pending> pending = new HashMap<>();
  private long version;

  /** What a receiver is to be sent, and the change counter it then has been told up to. */
  public record Snapshot(List<Alert> alerts, long version) {}

  private record Pending(Map<String, String> annotations, Instant since, Instant firesAt) {}

  /** Starts the alert, unless it already fires. Returns whether anything changed. */
  public synchronized boolean fire(Map<String, String> labels, Map<String, String> annotations, Instant at) {
    return fire(labels, annotations, at, Duration.ZERO);
  }

  /**
   * Starts the alert once its condition has held for {@code hold} from {@code at} (at once for a
   * zero hold); until then it is pending, and {@link #promote} fires it when its time comes, as a
   * Prometheus rule's {@code for:} does. Its start is when it became pending. Returns whether
   * anything changed that receivers are to be told.
   */
  public synchronized boolean fire(Map<String, String> labels, Map<String, String> annotations, Instant at, Duration hold) {
    Alert current = alerts.get(labels);
    if (current != null && current.firing()) {
      return false;
    }
    pending.putIfAbsent(Map.copyOf(labels), new Pending(Map.copyOf(annotations), at, at.plus(hold)));
    return promote(at);
  }

  /** Fires the pending alerts whose hold is over at {@code now}. Returns whether any fired. */
  public synchronized boolean promote(Instant now) {
    boolean fired = false;
    for (Iterator<Map.Entry<Map<String, String>, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Map<String, String>, Pending> entry = it.next();
      Pending p = entry.getValue();
      if (!now.isBefore(p.firesAt())) {
        alerts.put(entry.getKey(), new Alert(entry.getKey(), p.annotations(), p.since(), Optional.empty(), ++version));
        it.remove();
        fired = true;
      }
    }
    return fired;
  }

  /**
   * Resolves the alert, if it fires; one still pending is dropped without a word (a blip the
   * hold was there to hide). Returns whether anything changed that receivers are to be told.
   */
  public synchronized boolean resolve(Map<String, String> labels, Instant at) {
    if (pending.remove(labels) != null) {
      return false;
    }
    Alert current = alerts.get(labels);
    if (current == null || !current.firing()) {
      return false;
    }
    alerts.put(current.labels(), new Alert(labels, current.annotations(), current.startsAt(), Optional.of(at), ++version));
    return true;
  }

  /**
   * Resolves every alert, firing or pending, whose {@code key} label is not one of {@code kept}
   * (a tunnel or uplink a reload removed: nothing will ever resolve its alert otherwise).
   * Returns whether anything changed that receivers are to be told.
   */
  public synchronized boolean resolveUnless(String key, Set<String> kept, Instant at) {
    pending.keySet().removeIf(labels -> labels.containsKey(key) && !kept.contains(labels.get(key)));
    boolean changed = false;
    for (Alert alert : List.copyOf(alerts.values())) {
      if (alert.labels().containsKey(key) && !kept.contains(alert.labels().get(key))) {
        changed |= resolve(alert.labels(), at);
      }
    }
    return changed;
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
