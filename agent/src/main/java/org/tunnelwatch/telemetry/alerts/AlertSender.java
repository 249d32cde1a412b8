package org.tunnelwatch.telemetry.alerts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tunnelwatch.config.AlertingConfig;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.TunnelEvents;

/**
 * The agent's own alerting, without Prometheus in the path: an event listener that keeps the
 * alerts ({@link AgentAlerts}, {@link AlertBook}) and a thread that delivers them to every
 * Alertmanager and webhook of the configuration ({@link AlertDispatcher}). With no receiver
 * configured it does nothing and starts no thread.
 */
public final class AlertSender implements AutoCloseable {

  private final TunnelEvents events;
  private final AlertDispatcher dispatcher;

  private AlertSender(TunnelEvents events, AlertDispatcher dispatcher) {
    this.events = events;
    this.dispatcher = dispatcher;
  }

  public static AlertSender start(AlertingConfig config, MeterRegistry registry, TimeSource time) {
    return start(config, registry, time, Path.of("/proc/sys/kernel/hostname"));
  }

  /** As {@link #start(AlertingConfig, MeterRegistry, TimeSource)}, reading the host name from {@code hostnameFile}. */
  static AlertSender start(AlertingConfig config, MeterRegistry registry, TimeSource time, Path hostnameFile) {
    if (!config.enabled()) {
      return new AlertSender(new TunnelEvents() {}, null);
    }
    String gateway = config.gateway().orElseGet(() -> hostName(hostnameFile));
    HttpPoster http = new HttpPoster(config.timeout());
    List<AlertReceiver> receivers = new ArrayList<>();
    for (URI url : config.alertmanagers()) {
      receivers.add(new AlertmanagerReceiver(url, http, config.resendInterval()));
    }
    for (URI url : config.webhooks()) {
      receivers.add(new WebhookReceiver(url, http, gateway));
    }
    AlertBook book = new AlertBook();
    Gauge.builder(MetricNames.ALERTS_FIRING, book, AlertBook::firing)
        .description("Alerts the agent itself reports as firing")
        .register(registry);
    AlertDispatcher dispatcher = new AlertDispatcher(book, receivers, config.resendInterval(), time, registry);
    return new AlertSender(new AgentAlerts(book, gateway, time, dispatcher::wake), dispatcher);
  }

  /** The listener to add to the agent's events. */
  public TunnelEvents events() {
    return events;
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
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
