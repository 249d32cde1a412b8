package org.tunnelwatch.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.tunnel.TunnelEvents;

/**
 * One log line per state change and per action, each naming the tunnel and the reason, in a
 * {@code key=value} form that grep and log shippers both handle:
 *
 * <pre>
 * tunnel=sg1-sgcentral state up -> down reason="no reply in 3 consecutive rounds"
 * tunnel=sg1-sgcentral action=reinitiate result=success took=84ms reason="tunnel is down"
 * </pre>
 *
 * <p>The same values go with each line as key-value pairs (tunnel, state, action, result,
 * uplink), which {@code --log.format=json} writes as fields of their own.
 */
public final class EventLog implements TunnelEvents {

  private static final Logger log = LoggerFactory.getLogger("org.tunnelwatch.events");

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    log.atInfo().addKeyValue("tunnel", tunnel).addKeyValue("state", to.state().label())
        .log("tunnel={} state {} -> {} reason=\"{}\"", tunnel, from.state().label(), to.state().label(), to.reason());
  }

  @Override
  public void probesUnsent(String tunnel, String why) {
    log.warn(
        "tunnel={} probe-error reason=\"{}\": no echo could be sent, so the tunnel is unknown and no action is"
            + " taken until one can",
        tunnel, why);
  }

  @Override
  public void actionHeld(String tunnel, RemedyAction action, String why) {
    log.atInfo().addKeyValue("tunnel", tunnel).addKeyValue("action", action.configName()).addKeyValue("result", "held")
        .log("tunnel={} action={} held reason=\"{}\"", tunnel, action.configName(), why);
  }

  /** One line per switch, with its reason. */
  @Override
  public void failoverSwitched(Switch s) {
    log.atWarn().addKeyValue("group", s.group()).addKeyValue("from", s.from()).addKeyValue("to", s.to())
        .addKeyValue("reason", s.reason().configName())
        .log("failover group={} traffic {} -> {} reason={} \"{}\"", s.group(), s.from(), s.to(), s.reason().configName(), s.why());
  }

  @Override
  public void collateralOutage(String tunnel, String causedBy, RemedyAction action) {
    log.atWarn().addKeyValue("tunnel", tunnel).addKeyValue("action", action.configName())
        .log("tunnel={} collateral outage: it carried traffic when {} took {} on what they share, and went down",
            tunnel, causedBy, action.configName());
  }

  @Override
  public void remedied(String tunnel, RemedyOutcome outcome, String reason) {
    String line = "tunnel={} action={} result={} took={}ms reason=\"{}\"{}";
    Object[] args = {
      tunnel,
      outcome.action().configName(),
      outcome.result().label(),
      outcome.took().toMillis(),
      reason,
      outcome.detail().isEmpty() ? "" : " detail=\"" + outcome.detail() + "\""
    };
    (outcome.result() == RemedyResult.FAILURE ? log.atWarn() : log.atInfo())
        .addKeyValue("tunnel", tunnel)
        .addKeyValue("action", outcome.action().configName())
        .addKeyValue("result", outcome.result().label())
        .log(line, args);
  }

  @Override
  public void uplinkChanged(String uplink, LinkState state) {
    if (state.isUp()) {
      log.atInfo().addKeyValue("uplink", uplink).addKeyValue("state", "up").log("uplink={} up ({})", uplink, state.describe());
    } else {
      log.atWarn().addKeyValue("uplink", uplink).addKeyValue("state", "down")
          .log("uplink={} down ({}): no repair will be tried while it is down", uplink, state.describe());
    }
  }
}
