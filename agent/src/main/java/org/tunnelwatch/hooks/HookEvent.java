package org.tunnelwatch.hooks;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tunnelwatch.config.HookTrigger;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;

/**
 * One event for the hooks: its kind, its tunnel and the variables the program gets, named as in
 * docs/hooks.md. A new kind (failover) is a new {@link HookTrigger} and a factory here; the
 * queue, the runs and their metrics do not change. Immutable.
 *
 * @param trigger the kind of event
 * @param tunnel the tunnel it concerns
 * @param variables the event's variables by name without the {@code TUNNELWATCH_} prefix
 */
public record HookEvent(HookTrigger trigger, String tunnel, Map<String, String> variables) {

  static final String PREFIX = "TUNNELWATCH_";

  public HookEvent {
    variables = Map.copyOf(variables);
  }

  /** A tunnel changed state; the loss and RTT are those of the health window after the change. */
  public static HookEvent stateChanged(String tunnel, HealthState from, HealthState to, Instant at) {
    Map<String, String> v = common(HookTrigger.STATE, tunnel, at);
    v.put("STATE", to.state().label());
    v.put("PREVIOUS_STATE", from.state().label());
    v.put("REASON", to.reason());
    // Loss and RTT are left unset while the window holds nothing to measure them by, as the
    // agent's gauges are absent then: a script must not read "0 % loss" into a dead tunnel.
    if (!Double.isNaN(to.window().lossRatio())) {
      v.put("LOSS_RATIO", decimal(to.window().lossRatio()));
    }
    if (to.window().hasReplies()) {
      v.put("RTT_SECONDS", decimal(to.window().meanRtt().toNanos() / 1e9));
    }
    return new HookEvent(HookTrigger.STATE, tunnel, v);
  }

  /** A repair action is about to be carried out, for {@code reason}. */
  public static HookEvent actionBefore(String tunnel, RemedyAction action, String reason, Instant at) {
    Map<String, String> v = common(HookTrigger.ACTION_BEFORE, tunnel, at);
    v.put("ACTION", action.configName());
    v.put("REASON", reason);
    return new HookEvent(HookTrigger.ACTION_BEFORE, tunnel, v);
  }

  /** A repair action ended: carried out, failed, or skipped. */
  public static HookEvent actionAfter(String tunnel, RemedyOutcome outcome, String reason, Instant at) {
    Map<String, String> v = common(HookTrigger.ACTION_AFTER, tunnel, at);
    v.put("ACTION", outcome.action().configName());
    v.put("REASON", reason);
    v.put("RESULT", outcome.result().label());
    v.put("DETAIL", outcome.detail());
    v.put("DURATION_SECONDS", seconds(outcome.took()));
    return new HookEvent(HookTrigger.ACTION_AFTER, tunnel, v);
  }

  /**
   * Failover group {@code group} moved its traffic from member {@code from} to member {@code to}
   * (tunnel names); the event's tunnel is {@code to}, the one that carries the traffic now, and
   * {@code reason} says why ({@code failover} or {@code preempt}) with {@code detail} in words.
   */
  public static HookEvent failover(String group, String from, String to, String reason, String detail, Instant at) {
    String tunnel = to;
    Map<String, String> v = common(HookTrigger.FAILOVER, tunnel, at);
    v.put("GROUP", group);
    v.put("FROM", from);
    v.put("TO", to);
    v.put("REASON", reason);
    v.put("DETAIL", detail);
    return new HookEvent(HookTrigger.FAILOVER, tunnel, v);
  }

  /** The program's environment additions for hook {@code hook}: every variable with its prefix. */
  Map<String, String> environment(String hook) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PREFIX + "HOOK", hook);
    variables.forEach((name, value) -> env.put(PREFIX + name, printable(value)));
    return env;
  }

  private static Map<String, String> common(HookTrigger trigger, String tunnel, Instant at) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("EVENT", trigger.configName());
    v.put("TUNNEL", tunnel);
    v.put("TIME", at.toString());
    return v;
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }

  private static String seconds(Duration d) {
    return decimal(d.toNanos() / 1e9);
  }

  /** An environment value cannot hold NUL; daemon complaints end up here and might. */
  private static String printable(String value) {
    return value.replace('\0', '?');
  }
}
