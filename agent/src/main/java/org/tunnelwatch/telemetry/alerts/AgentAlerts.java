package org.tunnelwatch.telemetry.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.tunnelwatch.config.AlertHolds;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelRound;

/**
 * Turns tunnel events into the agent's own alerts, with the names and labels of the Prometheus
 * rules (alertname, gateway, tunnel or uplink, severity) and {@code source="agent"}:
 *
 * <ul>
 *   <li>{@code TunnelwatchTunnelDown} from the change to down until the change out of it;
 *   <li>{@code TunnelwatchLadderExhausted} while every rung has been tried since the tunnel was
 *       last up;
 *   <li>{@code TunnelwatchUplinkDown} while an uplink's interface is down.
 * </ul>
 *
 * Each fires once its condition has held for its {@link AlertHolds hold} (by default the rule's
 * {@code for:}), so that an outage the repair ladder mends in time pages nobody, whichever path
 * the alert would take. Pending alerts are checked at every event; rounds come every few seconds,
 * so an alert fires at most one round interval after its hold. Thread-safe; never blocks (see
 * {@link AlertBook}).
 */
final class AgentAlerts implements TunnelEvents {

  static final String SOURCE = "agent";
  static final String TUNNEL_DOWN = "TunnelwatchTunnelDown";
  static final String LADDER_EXHAUSTED = "TunnelwatchLadderExhausted";
  static final String UPLINK_DOWN = "TunnelwatchUplinkDown";

  private final AlertBook book;
  private final String gateway;
  private final org.tunnelwatch.time.TimeSource time;
  private final Runnable changed;
  private volatile AlertHolds holds;

  AgentAlerts(AlertBook book, String gateway, org.tunnelwatch.time.TimeSource time, AlertHolds holds, Runnable changed) {
    this.book = book;
    this.gateway = gateway;
    this.time = time;
    this.holds = holds;
    this.changed = changed;
  }

  /** New holds from a reload: for alerts that become pending from now on. */
  void holds(AlertHolds next) {
    holds = next;
  }

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    Map<String, String> labels = labels(TUNNEL_DOWN, "critical", "tunnel", tunnel);
    if (to.state() == TunnelState.DOWN) {
      fire(
          holds.tunnelDown(),
          labels,
          "Tunnel " + tunnel + " on " + gateway + " is down",
          "The agent on gateway " + gateway + " judged tunnel " + tunnel + " down (" + to.reason()
              + "): the site behind it is cut off. The agent is working through its repair ladder.",
          TUNNEL_DOWN);
    } else if (from.state() == TunnelState.DOWN) {
      resolve(labels);
    }
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    if (book.promote(time.now())) {
      changed.run();
    }
    Map<String, String> labels = labels(LADDER_EXHAUSTED, "critical", "tunnel", round.tunnel());
    if (remedy.exhausted()) {
      fire(
          holds.ladderExhausted(),
          labels,
          "Every repair of tunnel " + round.tunnel() + " on " + gateway + " was tried",
          "The agent on gateway " + gateway + " has tried every rung of its repair ladder on tunnel "
              + round.tunnel() + " since it was last up, and the tunnel is still not back. It needs a person.",
          LADDER_EXHAUSTED);
    } else {
      resolve(labels);
    }
  }

  @Override
  public void uplinkChanged(String uplink, LinkState state) {
    Map<String, String> labels = labels(UPLINK_DOWN, "warning", "uplink", uplink);
    if (state.isUp()) {
      resolve(labels);
    } else {
      fire(
          holds.uplinkDown(),
          labels,
          "Uplink " + uplink + " on " + gateway + " is down",
          "The interface of uplink " + uplink + " on gateway " + gateway + " is down (" + state.describe()
              + "). The tunnels over it are down too, and the agent does not try to repair them until it is back.",
          UPLINK_DOWN);
    }
  }

  /** After a reload: the alerts of tunnels and uplinks no longer configured are resolved. */
  void retain(Set<String> tunnels, Set<String> uplinks) {
    boolean changed = book.resolveUnless("tunnel", tunnels, time.now());
    changed |= book.resolveUnless("uplink", uplinks, time.now());
    if (changed) {
      this.changed.run();
    }
  }

  private Map<String, String> labels(String name, String severity, String key, String value) {
    return Map.of("alertname", name, "severity", severity, "gateway", gateway, "source", SOURCE, key, value);
  }

  /** Where the package installs the runbook: the rules' default runbook_url (prometheus/mixin/config.libsonnet). */
  private static final String RUNBOOK = "file:///usr/share/doc/tunnelwatch/runbook.md#";

  private void fire(Duration hold, Map<String, String> labels, String summary, String description, String name) {
    Map<String, String> annotations =
        Map.of("summary", summary, "description", description, "runbook_url", RUNBOOK + name.toLowerCase(java.util.Locale.ROOT));
    if (book.fire(labels, annotations, time.now(), hold)) {
      changed.run();
    }
  }

  private void resolve(Map<String, String> labels) {
    if (book.resolve(labels, time.now())) {
      changed.run();
    }
  }
}
