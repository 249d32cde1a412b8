package org.tunnelwatch.telemetry.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert as the agent reports it. Immutable.
 *
 * @param labels what identifies it, {@code alertname} included; two alerts with the same labels
 *     are the same alert
 * @param annotations summary, description, runbook
 * @param startsAt when it began to fire
 * @param endsAt when it was resolved; empty while it fires
 * @param version the {@link AlertBook}'s change counter when it last changed
 */
public record Alert(
    Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Optional<Instant> endsAt, long version) {

  public Alert {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public boolean firing() {
    return endsAt.isEmpty();
  }

  public String name() {
    return labels.getOrDefault("alertname", "");
  }
}
