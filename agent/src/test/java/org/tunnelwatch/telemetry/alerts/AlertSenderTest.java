package org.tunnelwatch.telemetry.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.tunnelwatch.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.AlertHolds;
import org.tunnelwatch.config.AlertingConfig;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundWindow;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.time.TimeSource;

/**
 * The agent's own alerts against a real Alertmanager (started by the test) and a real HTTP
 * webhook on loopback: firing, resolving, resending, retrying, and never blocking the caller.
 */
class AlertSenderTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger dispatcherLog = (Logger) LoggerFactory.getLogger(AlertDispatcher.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    dispatcherLog.addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    dispatcherLog.detachAppender(logs);
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  private AlertSender sender(List<URI> alertmanagers, List<URI> webhooks, Duration resend, Duration timeout) {
    // Without holds: what is sent, and when, is the subject here (AgentAlertsTest tests the holds).
    AlertingConfig config = new AlertingConfig(alertmanagers, webhooks, resend, timeout, Optional.of("sg1"), AlertHolds.NONE);
    return closeLater(AlertSender.start(config, registry, TimeSource.system()));
  }

  private static HealthState state(TunnelState state) {
    return new HealthState(state, 3, 0, RoundWindow.empty(), 0, "no reply in 3 consecutive rounds", 0);
  }

  private static void down(AlertSender sender, String tunnel) {
    sender.events().stateChanged(tunnel, state(TunnelState.UP), state(TunnelState.DOWN));
  }

  private static void up(AlertSender sender, String tunnel) {
    sender.events().stateChanged(tunnel, state(TunnelState.DOWN), state(TunnelState.UP));
  }

  private double notifications(URI receiver, String result) {
    var counter = registry.find(MetricNames.ALERT_NOTIFICATIONS).tag("receiver", receiver.toString()).tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<JsonNode> activeAlerts(AlertmanagerProcess am) throws Exception {
    String body = am.get("/api/v2/alerts?active=true&silenced=false&inhibited=false");
    List<JsonNode> alerts = new ArrayList<>();
    if (!body.isEmpty()) {
      JSON.readTree(body).forEach(alerts::add);
    }
    return alerts;
  }

  @Test
  void aDownTunnelReachesAlertmanagerAndTheWebhookAndIsResolvedWhenItIsBack() throws Exception {
    AlertmanagerProcess.require();
    AlertmanagerProcess am = closeLater(AlertmanagerProcess.start(Files.createDirectories(dir.resolve("am"))));
    WebhookServer webhook = closeLater(new WebhookServer());
    // A second Alertmanager that is not there: the first still gets everything.
    URI missing = URI.create("http://127.0.0.1:" + FreePorts.any());
    AlertSender sender = sender(List.of(missing, am.url), List.of(webhook.url()), Duration.ofMinutes(1), Duration.ofSeconds(2));

    down(sender, "sg1-sgcentral");

    await("the alert in Alertmanager").atMost(BOUND).until(() -> activeAlerts(am).size() == 1);
    JsonNode alert = activeAlerts(am).get(0);
    assertThat(alert.at("/labels/alertname").asText()).isEqualTo("TunnelwatchTunnelDown");
    assertThat(alert.at("/labels/tunnel").asText()).isEqualTo("sg1-sgcentral");
    assertThat(alert.at("/labels/gateway").asText()).isEqualTo("sg1");
    assertThat(alert.at("/labels/source").asText()).isEqualTo("agent");
    assertThat(alert.at("/annotations/summary").asText()).isEqualTo("Tunnel sg1-sgcentral on sg1 is down");
    await("the firing webhook").atMost(BOUND).until(() -> !webhook.received.isEmpty());
    JsonNode firing = webhook.received.get(0);
    assertThat(firing.get("status").asText()).isEqualTo("firing");
    assertThat(firing.at("/alerts/0/labels/tunnel").asText()).isEqualTo("sg1-sgcentral");
    assertThat(firing.at("/alerts/0/status").asText()).isEqualTo("firing");

    up(sender, "sg1-sgcentral");

    await("resolved in Alertmanager").atMost(BOUND).until(() -> activeAlerts(am).isEmpty());
    await("the resolved webhook").atMost(BOUND)
        .until(() -> webhook.received.stream().anyMatch(p -> p.get("status").asText().equals("resolved")));
    JsonNode resolved = webhook.received.stream().filter(p -> p.get("status").asText().equals("resolved")).findFirst().orElseThrow();
    assertThat(resolved.at("/alerts/0/status").asText()).isEqualTo("resolved");
    assertThat(resolved.at("/alerts/0/endsAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");

    assertThat(notifications(am.url, "success")).isGreaterThanOrEqualTo(2);
    assertThat(notifications(am.url, "failure")).isZero();
    assertThat(notifications(missing, "failure")).isGreaterThanOrEqualTo(1);
    assertThat(notifications(missing, "success")).isZero();
    assertThat(am.logText()).doesNotContain("level=error");
  }

  @Test
  void firingAlertsAreSentAgainEveryResendIntervalAndResolvedOnesAreNot() throws Exception {
    WebhookServer webhook = closeLater(new WebhookServer());
    AlertSender sender = sender(List.of(), List.of(webhook.url()), Duration.ofSeconds(1), Duration.ofSeconds(2));

    down(sender, "t1");
    await("the alert sent three times").atMost(BOUND).until(() -> webhook.received.size() >= 3);
    assertThat(webhook.received).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("firing"));

    up(sender, "t1");
    await("the resolution").atMost(BOUND)
        .until(() -> webhook.received.stream().anyMatch(p -> p.get("status").asText().equals("resolved")));
    int afterResolution = webhook.received.size();
    // Several resend intervals with nothing firing: nothing more is sent.
    Thread.sleep(3_000);
    assertThat(webhook.received).hasSize(afterResolution);
  }

  @Test
  void aFailingReceiverIsRetriedUntilItTakesTheAlertAndTheFailureIsLoggedOnce() throws Exception {
    WebhookServer webhook = closeLater(new WebhookServer());
    webhook.failFirst.set(3);
    URI url = webhook.url();
    AlertSender sender = sender(List.of(), List.of(url), Duration.ofMinutes(1), Duration.ofSeconds(2));

    down(sender, "t1");

    await("delivered after the failures").atMost(BOUND).until(() -> webhook.received.size() == 1);
    assertThat(webhook.requests.get()).isEqualTo(4);
    assertThat(notifications(url, "failure")).isEqualTo(3);
    assertThat(notifications(url, "success")).isEqualTo(1);
    List<String> warnings =
        logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).singleElement().asString()
        .isEqualTo("alert webhook " + url + " failed: HTTP 500: receiver is broken (retrying; logged again only if the problem changes)");
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("reachable again"));
  }

  @Test
  void aReceiverThatNeverAnswersNeitherBlocksTheCallerNorTheOtherReceivers() throws Exception {
    WebhookServer stuck = closeLater(new WebhookServer());
    stuck.hold = new CountDownLatch(1);
    WebhookServer healthy = closeLater(new WebhookServer());
    AlertSender sender = sender(List.of(), List.of(stuck.url(), healthy.url()), Duration.ofMinutes(1), Duration.ofMillis(500));

    // While the stuck receiver holds its request, the probing side keeps reporting freely.
    assertThatCode(
            () -> {
              for (int i = 0; i < 200; i++) {
                down(sender, "t" + (i % 20));
                up(sender, "t" + (i % 20));
              }
              down(sender, "t-last");
            })
        .doesNotThrowAnyException();

    await("the healthy receiver got the alerts").atMost(BOUND)
        .until(() -> healthy.received.stream().anyMatch(p -> p.toString().contains("t-last")));
    await("the stuck one timed out").atMost(BOUND).until(() -> notifications(stuck.url(), "failure") >= 1);
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("no answer within 500ms"));
  }

  @Test
  void aReloadMovesTheFiringAlertsToTheNewReceiversAndForgetsTheOldOnes() throws Exception {
    WebhookServer before = closeLater(new WebhookServer());
    WebhookServer after = closeLater(new WebhookServer());
    AlertSender sender = sender(List.of(), List.of(before.url()), Duration.ofMinutes(1), Duration.ofSeconds(2));
    down(sender, "t1");
    await("the first receiver got the alert").atMost(BOUND).until(() -> before.received.size() == 1);

    AlertingConfig moved = new AlertingConfig(List.of(), List.of(after.url()), Duration.ofMinutes(1), Duration.ofSeconds(2), Optional.of("sg1"), AlertHolds.NONE);
    assertThat(sender.reconfigure(moved)).isEmpty();

    // Nothing changed in the tunnels: the alert that fires reaches the new receiver anyway.
    await("the new receiver got the firing alert").atMost(BOUND).until(() -> !after.received.isEmpty());
    assertThat(after.received.get(0).at("/alerts/0/labels/tunnel").asText()).isEqualTo("t1");
    assertThat(registry.find(MetricNames.ALERT_NOTIFICATIONS).tag("receiver", before.url().toString()).counters()).isEmpty();

    up(sender, "t1");
    await("the resolution at the new receiver").atMost(BOUND)
        .until(() -> after.received.stream().anyMatch(p -> p.get("status").asText().equals("resolved")));
    assertThat(before.received).hasSize(1);
  }

  @Test
  void aReloadThatWouldChangeTheAlertsThemselvesWaitsForARestart() throws Exception {
    WebhookServer webhook = closeLater(new WebhookServer());
    AlertSender sender = sender(List.of(), List.of(webhook.url()), Duration.ofMinutes(1), Duration.ofSeconds(2));

    AlertingConfig renamed = new AlertingConfig(List.of(), List.of(webhook.url()), Duration.ofMinutes(1), Duration.ofSeconds(2), Optional.of("sg2"), AlertHolds.NONE);
    assertThat(sender.reconfigure(renamed)).hasValueSatisfying(m -> assertThat(m).contains("gateway label", "next restart"));
    assertThat(sender.reconfigure(AlertingConfig.NONE)).hasValueSatisfying(m -> assertThat(m).contains("turned off", "next restart"));

    // Still the old configuration at work.
    down(sender, "t1");
    await("the alert, with the old gateway label").atMost(BOUND).until(() -> !webhook.received.isEmpty());
    assertThat(webhook.received.get(0).at("/alerts/0/labels/gateway").asText()).isEqualTo("sg1");
  }
}
