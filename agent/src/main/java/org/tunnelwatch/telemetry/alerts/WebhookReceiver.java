package org.tunnelwatch.telemetry.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Posts alerts to a generic webhook in the format of Alertmanager's own webhook notifications
 * (version 4), so that receivers written for Alertmanager (chat bridges, ticketing) take them as
 * they are:
 *
 * <pre>
 * {"version":"4","status":"firing","receiver":"tunnelwatch","groupKey":"tunnelwatch/sg1",
 *  "groupLabels":{"gateway":"sg1"},"commonLabels":{"gateway":"sg1","source":"agent"},
 *  "commonAnnotations":{},"externalURL":"","truncatedAlerts":0,
 *  "alerts":[{"status":"firing","labels":{...},"annotations":{...},
 *             "startsAt":"2026-11-26T12:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":""}]}
 * </pre>
 *
 * Each POST carries every alert that fires, and those resolved since this webhook last took a
 * POST; {@code status} is {@code firing} while any of them fires.
 */
final class WebhookReceiver implements AlertReceiver {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NEVER = "0001-01-01T00:00:00Z";

  private final URI url;
  private final HttpPoster http;
  private final String gateway;

  WebhookReceiver(URI url, HttpPoster http, String gateway) {
    this.url = url;
    this.http = http;
    this.gateway = gateway;
  }

  @Override
  public String kind() {
    return "webhook";
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public void send(List<Alert> alerts, Instant now) throws IOException {
    boolean firing = alerts.stream().anyMatch(Alert::firing);
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "4");
    body.put("status", firing ? "firing" : "resolved");
    body.put("receiver", "tunnelwatch");
    body.put("groupKey", "tunnelwatch/" + gateway);
    body.set("groupLabels", AlertmanagerReceiver.map(Map.of("gateway", gateway)));
    body.set("commonLabels", AlertmanagerReceiver.map(Map.of("gateway", gateway, "source", AgentAlerts.SOURCE)));
    body.set("commonAnnotations", JSON.createObjectNode());
    body.put("externalURL", "");
    body.put("truncatedAlerts", 0);
    ArrayNode list = body.putArray("alerts");
    for (Alert alert : alerts) {
      ObjectNode node = list.addObject();
      node.put("status", alert.firing() ? "firing" : "resolved");
      node.set("labels", AlertmanagerReceiver.map(alert.labels()));
      node.set("annotations", AlertmanagerReceiver.map(alert.annotations()));
      node.put("startsAt", alert.startsAt().toString());
      node.put("endsAt", alert.endsAt().map(Instant::toString).orElse(NEVER));
      node.put("generatorURL", "");
    }
    http.post(url, JSON.writeValueAsString(body));
  }
}
