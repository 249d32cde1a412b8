package org.tunnelwatch.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 */
public final class EventLog implements TunnelEvents {

  private static final Logger log = LoggerFactory.getLogger("org.tunnelwatch.events");

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    log.info(
        "tunnel={} state {} -> {} reason=\"{}\"",
        tunnel, from.state().label(), to.state().label(), to.reason());
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
    log.info("tunnel={} action={} held reason=\"{}\"", tunnel, action.configName(), why);
  }

  @Override
  public void collateralOutage(String tunnel, String causedBy, RemedyAction action) {
    log.warn(
        "tunnel={} collateral outage: it carried traffic when {} took {} on what they share, and went down",
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
    if (outcome.result() == RemedyResult.FAILURE) {
      log.warn(line, args);
    } else {
      log.info(line, args);
    }
  }

  @Override
  public void uplinkChanged(String uplink, LinkState state) {
    if (state.isUp()) {
      log.info("uplink={} up ({})", uplink, state.describe());
    } else {
      log.warn("uplink={} down ({}): no repair will be tried while it is down", uplink, state.describe());
    }
  }
}
