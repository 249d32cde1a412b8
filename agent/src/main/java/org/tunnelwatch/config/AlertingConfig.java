package org.tunnelwatch.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the agent sends its own alerts, without Prometheus in the path.
 *
 * @param alertmanagers Alertmanager base URLs; alerts go to {@code URL/api/v2/alerts} of each
 * @param webhooks URLs that receive a JSON POST of the alerts, in Alertmanager's webhook format
 * @param resendInterval how often firing alerts are sent again, so that Alertmanager keeps them
 *     and a receiver that missed one learns of it
 * @param timeout how long one HTTP request may take
 * @param gateway the {@code gateway} label of the alerts; empty: the host name
 * @param holds how long each alert must hold before it fires
 */
public record AlertingConfig(
    List<URI> alertmanagers,
    List<URI> webhooks,
    Duration resendInterval,
    Duration timeout,
    Optional<String> gateway,
    AlertHolds holds) {

  public AlertingConfig {
    alertmanagers = List.copyOf(alertmanagers);
    webhooks = List.copyOf(webhooks);
  }

  /** With the default holds. */
  public AlertingConfig(
      List<URI> alertmanagers, List<URI> webhooks, Duration resendInterval, Duration timeout, Optional<String> gateway) {
    this(alertmanagers, webhooks, resendInterval, timeout, gateway, AlertHolds.DEFAULT);
  }

  /** No section: nothing is sent. */
  public static final AlertingConfig NONE =
      new AlertingConfig(List.of(), List.of(), BuiltinDefaults.RESEND_INTERVAL, BuiltinDefaults.ALERT_TIMEOUT, Optional.empty());

  public boolean enabled() {
    return !alertmanagers.isEmpty() || !webhooks.isEmpty();
  }
}
