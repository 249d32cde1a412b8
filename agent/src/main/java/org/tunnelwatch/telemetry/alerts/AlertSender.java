package org.tunnelwatch.telemetry.alerts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tunnelwatch.config.AlertingConfig;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.TunnelEvents;

/**
 * The agent's own alerting, without Prometheus in the path: an event listener that keeps the
 * alerts ({@link AgentAlerts}, {@link AlertBook}) and a thread that delivers them to every
 * Alertmanager and webhook of the configuration ({@link AlertDispatcher}). With no receiver
 * configured it does nothing and starts no thread.
 *
 * <p>A reload may change the receivers, the resend interval and the timeout: {@link #reconfigure}
 * hands the same alerts to a new dispatcher, so that what fires now is not forgotten and reaches
 * the new receivers at once.
 *
 * <p>Thread-safety: {@link #events()} may be used from any thread; {@link #reconfigure} and
 * {@link #close()} are called by the agent under its lock.
 */
public final class AlertSender implements AutoCloseable {

  private final TunnelEvents events;
  /** The events' alerts, null while alerting is off. */
  private final AgentAlerts agentAlerts;
  private final AlertBook book;
  private final String gateway;
  private final MeterRegistry registry;
  private final TimeSource time;
  private AlertingConfig config;
  private volatile AlertDispatcher dispatcher;

  private AlertSender(AlertingConfig config, String gateway, MeterRegistry registry, TimeSource time) {
    this.config = config;
    this.gateway = gateway;
    this.registry = registry;
    this.time = time;
    if (config.enabled()) {
      this.book = new AlertBook();
      Gauge.builder(MetricNames.ALERTS_FIRING, book, AlertBook::firing)
          .description("Alerts the agent itself reports as firing")
          .register(registry);
      this.agentAlerts = new AgentAlerts(book, gateway, time, config.holds(), this::wakeDispatcher);
      this.events = agentAlerts;
      this.dispatcher = dispatcherFor(config);
    } else {
      this.book = null;
      this.agentAlerts = null;
      this.events = new TunnelEvents() {};
    }
  }

  public static AlertSender start(AlertingConfig config, MeterRegistry registry, TimeSource time) {
    return start(config, registry, time, Path.of("/proc/sys/kernel/hostname"));
  }

  /** As {@link #start(AlertingConfig, MeterRegistry, TimeSource)}, reading the host name from {@code hostnameFile}. */
  static AlertSender start(AlertingConfig config, MeterRegistry registry, TimeSource time, Path hostnameFile) {
    return new AlertSender(config, gatewayOf(config, hostnameFile), registry, time);
  }

  /**
   * After a reload: resolves the alerts of tunnels and uplinks that are no longer configured, which
   * no event would resolve any more.
   */
  public void retain(Set<String> tunnels, Set<String> uplinks) {
    if (agentAlerts != null) {
      agentAlerts.retain(tunnels, uplinks);
    }
  }

  /** The listener to add to the agent's events. */
  public TunnelEvents events() {
    return events;
  }

  /**
   * Applies a reloaded {@code alerting} section. New receivers, resend interval, timeout and holds
   * take effect now (a hold for the alerts that become pending from then on), and the alerts that fire are sent to the new receivers straight away. Turning
   * alerting on or off, or changing the {@code gateway} label, would change the alerts
   * themselves; that waits for a restart.
   *
   * @return what could not be applied, for the reload's log line; empty if all of it was
   */
  public Optional<String> reconfigure(AlertingConfig next) {
    return reconfigure(next, Path.of("/proc/sys/kernel/hostname"));
  }

  /** As {@link #reconfigure(AlertingConfig)}, reading the host name from {@code hostnameFile}. */
  Optional<String> reconfigure(AlertingConfig next, Path hostnameFile) {
    if (next.equals(config)) {
      return Optional.empty();
    }
    if (next.enabled() != config.enabled()) {
      return Optional.of(
          "alerting was turned " + (next.enabled() ? "on" : "off") + ": that takes effect at the next restart of the agent");
    }
    if (!gatewayOf(next, hostnameFile).equals(gateway)) {
      return Optional.of("the alerts' gateway label changed: that takes effect at the next restart of the agent");
    }
    if (next.enabled()) {
      AlertDispatcher previous = dispatcher;
      // The new dispatcher starts before the old one stops, so that no change in between is
      // missed; at worst a receiver gets the same alerts twice, which receivers deduplicate.
      dispatcher = dispatcherFor(next);
      previous.close();
      previous.forgetReceiversOtherThan(next.alertmanagers(), next.webhooks());
      agentAlerts.holds(next.holds());
    }
    config = next;
    return Optional.empty();
  }

  @Override
  public void close() {
    AlertDispatcher running = dispatcher;
    if (running != null) {
      running.close();
    }
  }

  private void wakeDispatcher() {
    AlertDispatcher running = dispatcher;
    if (running != null) {
      running.wake();
    }
  }

  private AlertDispatcher dispatcherFor(AlertingConfig config) {
    HttpPoster http = new HttpPoster(config.timeout());
    List<AlertReceiver> receivers = new ArrayList<>();
    for (URI url : config.alertmanagers()) {
      receivers.add(new AlertmanagerReceiver(url, http, config.resendInterval()));
    }
    for (URI url : config.webhooks()) {
      receivers.add(new WebhookReceiver(url, http, gateway));
    }
    return new AlertDispatcher(book, receivers, config.resendInterval(), time, registry);
  }

  private static String gatewayOf(AlertingConfig config, Path hostnameFile) {
    return config.gateway().orElseGet(() -> hostName(hostnameFile));
  }

  /**
   * The kernel's host name, read from procfs rather than through the resolver: DNS may be behind
   * the very tunnel that is down.
   */
  static String hostName(Path hostnameFile) {
    try {
      String name = Files.readString(hostnameFile).strip();
      return name.isEmpty() ? "unknown" : name;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
