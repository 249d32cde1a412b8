package org.tunnelwatch.tunnel;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyState;

/**
 * Passes each event to every listener. A listener that throws is logged and skipped, so that a
 * bug in reporting can never stop probing or repairing.
 */
public final class EventFanout implements TunnelEvents {

  private static final Logger log = LoggerFactory.getLogger(EventFanout.class);

  private final List<TunnelEvents> listeners;

  public EventFanout(List<TunnelEvents> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    each(l -> l.roundCompleted(round, health, remedy));
  }

  @Override
  public void probesUnsent(String tunnel, String why) {
    each(l -> l.probesUnsent(tunnel, why));
  }

  @Override
  public void actionStarting(String tunnel, RemedyState planned) {
    each(l -> l.actionStarting(tunnel, planned));
  }

  @Override
  public void stateChanged(String tunnel, HealthState from, HealthState to) {
    each(l -> l.stateChanged(tunnel, from, to));
  }

  @Override
  public void actionRunning(String tunnel, RemedyAction action, String reason) {
    each(l -> l.actionRunning(tunnel, action, reason));
  }

  @Override
  public void remedied(String tunnel, RemedyOutcome outcome, String reason) {
    each(l -> l.remedied(tunnel, outcome, reason));
  }

  @Override
  public void actionHeld(String tunnel, RemedyAction action, String why) {
    each(l -> l.actionHeld(tunnel, action, why));
  }

  @Override
  public void collateralOutage(String tunnel, String causedBy, RemedyAction action) {
    each(l -> l.collateralOutage(tunnel, causedBy, action));
  }

  @Override
  public void uplinkChanged(String uplink, LinkState state) {
    each(l -> l.uplinkChanged(uplink, state));
  }

  @Override
  public void backendChanged(boolean up) {
    each(l -> l.backendChanged(up));
  }

  @Override
  public void failoverSwitched(Switch decided) {
    each(l -> l.failoverSwitched(decided));
  }

  @Override
  public void failoverActive(String group, List<String> members, String active) {
    each(l -> l.failoverActive(group, members, active));
  }

  @Override
  public void stateWritableChanged(boolean writable) {
    each(l -> l.stateWritableChanged(writable));
  }

  private void each(Consumer<TunnelEvents> call) {
    for (TunnelEvents listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.error("event listener {} failed", listener.getClass().getSimpleName(), e);
      }
    }
  }
}
