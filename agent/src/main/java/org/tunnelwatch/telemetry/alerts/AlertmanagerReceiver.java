package org.tunnelwatch.telemetry.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Posts alerts to Alertmanager's API v2 ({@code POST /api/v2/alerts}), as Prometheus does: a
 * firing alert carries an {@code endsAt} a few resend intervals ahead, so that Alertmanager
 * resolves it by itself if the agent stops sending; a resolved one carries the time it was
 * resolved.
 */
final class AlertmanagerReceiver implements AlertReceiver {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final URI endpoint;
  private final HttpPoster http;
  private final Duration firingFor;

  AlertmanagerReceiver(URI base, HttpPoster http, Duration resendInterval) {
    this.base = base;
    String path = base.getRawPath() == null ? "" : base.getRawPath().replaceFirst("/+$", "");
    this.endpoint = base.resolve(path + "/api/v2/alerts");
    this.http = http;
    this.firingFor = resendInterval.multipliedBy(4);
  }

  @Override
  public String kind() {
    return "alertmanager";
  }

  @Override
  public URI url() {
    return base;
  }

  @Override
  public void send(List<Alert> alerts, Instant now) throws IOException {
    ArrayNode body = JSON.createArrayNode();
    for (Alert alert : alerts) {
      ObjectNode node = body.addObject();
      node.set("labels", map(alert.labels()));
      node.set("annotations", map(alert.annotations()));
      node.put("startsAt", alert.startsAt().toString());
      node.put("endsAt", alert.endsAt().orElse(now.plus(firingFor)).toString());
    }
    http.post(endpoint, JSON.writeValueAsString(body));
  }

  static ObjectNode map(Map<String, String> values) {
    ObjectNode node = JSON.createObjectNode();
    values.forEach(node::put);
    return node;
  }
}
