package org.tunnelwatch.telemetry;

/**
 * Every metric the agent exports, in one place. Dashboards and alerting rules depend on these
 * names and labels: change them only with a note in the changelog.
 *
 * <p>Names are Micrometer's dotted form; the Prometheus registry turns {@code a.b} into {@code
 * a_b}, adds {@code _total} to counters and {@code _seconds} to timers.
 */
public final class MetricNames {

  /** Gauge, 1 while the tunnel is up or degraded, else 0. Labels: tunnel. */
  public static final String TUNNEL_UP = "tunnelwatch.tunnel.up";
  /** Gauge, 1 for the tunnel's current state, 0 for the others. Labels: tunnel, state. */
  public static final String TUNNEL_STATE = "tunnelwatch.tunnel.state";
  /** Gauge, echo loss over the health window, 0..1. Labels: tunnel. */
  public static final String TUNNEL_LOSS_RATIO = "tunnelwatch.tunnel.loss.ratio";
  /** Gauge, mean RTT over the health window, seconds. Labels: tunnel. */
  public static final String TUNNEL_RTT = "tunnelwatch.tunnel.rtt.seconds";
  /** Counter, echo requests by outcome. Labels: tunnel, target, result. */
  public static final String PROBES = "tunnelwatch.probes";
  /** Histogram (timer), echo round-trip time. Labels: tunnel, target. */
  public static final String PROBE_RTT = "tunnelwatch.probe.rtt";
  /** Counter, repair actions by outcome. Labels: tunnel, action, result. */
  public static final String REMEDIATIONS = "tunnelwatch.remediations";
  /** Gauge, 1 once every rung has been tried since the tunnel was last up. Labels: tunnel. */
  public static final String LADDER_EXHAUSTED = "tunnelwatch.remedy.ladder.exhausted";
  /** Gauge, 1 while the uplink interface is up. Labels: uplink. */
  public static final String UPLINK_UP = "tunnelwatch.uplink.up";
  /** Counter, scheduled maintenance actions by outcome. Labels: action, result. */
  public static final String MAINTENANCE = "tunnelwatch.maintenance.actions";
  /** Counter, probe rounds that failed inside the agent (a bug, not a tunnel fault). Labels: tunnel. */
  public static final String ROUND_ERRORS = "tunnelwatch.round.errors";
  /** Counter, changes of state, by the state changed to (up, degraded, down). Labels: tunnel, state. */
  public static final String STATE_CHANGES = "tunnelwatch.tunnel.state.changes";
  /** Gauge, Unix time of the last change of state, 0 before the first. Labels: tunnel. */
  public static final String LAST_STATE_CHANGE = "tunnelwatch.tunnel.last.state.change.timestamp.seconds";
  /** Counter, seconds the tunnel has spent down. Labels: tunnel. */
  public static final String DOWN_TIME = "tunnelwatch.tunnel.down.seconds";
  /**
   * Gauge, seconds from the first failed round of the last outage to the change to down: what
   * {@code down-after} cost in detection. Labels: tunnel.
   */
  public static final String LAST_DETECTION = "tunnelwatch.tunnel.last.outage.detection.seconds";
  /** Histogram (timer), how long actions that ran took (skipped ones excluded). Labels: tunnel, action. */
  public static final String REMEDIATION_DURATION = "tunnelwatch.remediation.duration";
  /** Histogram (timer), how much later than one interval after the previous round a round started. Labels: tunnel. */
  public static final String ROUND_LAG = "tunnelwatch.round.lag";
  /** Gauge, 1 while the daemon reports the tunnel's CHILD SA installed. Labels: tunnel. */
  public static final String CHILD_SA_INSTALLED = "tunnelwatch.child.sa.installed";
  /** Counter (the daemon's), bytes through the current CHILD SA. Labels: tunnel, direction. */
  public static final String CHILD_SA_BYTES = "tunnelwatch.child.sa.bytes";
  /** Counter (the daemon's), packets through the current CHILD SA. Labels: tunnel, direction. */
  public static final String CHILD_SA_PACKETS = "tunnelwatch.child.sa.packets";
  /** Counter, alert notifications sent by the agent itself, by outcome. Labels: receiver, kind, result. */
  public static final String ALERT_NOTIFICATIONS = "tunnelwatch.alert.notifications";
  /** Gauge, alerts the agent itself currently reports as firing. */
  public static final String ALERTS_FIRING = "tunnelwatch.alerts.firing";
  /** Gauge, seconds the tunnel's IKE SA has been established, 0 without one. Labels: tunnel. */
  public static final String IKE_SA_ESTABLISHED = "tunnelwatch.ike.sa.established.seconds";
  /**
   * Gauge, seconds since the tunnel's CHILD SA last received a packet (charon's {@code use-in});
   * NaN while unknown (no CHILD SA, nothing received yet, or a backend that does not say). Labels:
   * tunnel.
   */
  public static final String CHILD_SA_INBOUND_IDLE = "tunnelwatch.child.sa.inbound.idle.seconds";
  /** Gauge, 1 if the last configuration reload succeeded, 0 if the previous one was kept. */
  public static final String CONFIG_LAST_RELOAD_SUCCESSFUL = "tunnelwatch.config.last.reload.successful";
  /** Gauge, when the configuration in use was loaded, seconds since the epoch. */
  public static final String CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP = "tunnelwatch.config.last.reload.success.timestamp.seconds";
  // Faults around the agent: the daemon and the state directory.
  /**
   * Gauge, 1 while the IPsec daemon answers (the last attempt to list its SAs succeeded), 0 while
   * it does not; NaN until the first attempt.
   */
  public static final String BACKEND_UP = "tunnelwatch.backend.up";
  /**
   * Gauge, 1 while the remediation history can be written to the state directory, 0 while it
   * cannot (missing, read-only, full: the history then lives in memory); NaN until the first write.
   */
  public static final String STATE_WRITABLE = "tunnelwatch.state.writable";

  /**
   * Gauge, 1 when charon builds a new IKE SA before it deletes the old one on reauthentication
   * ({@code make_before_break}), 0 when it does not (strongSwan's default), NaN when unknown.
   * Without it {@code reauth-ike} interrupts every CHILD SA of its IKE SA.
   */
  public static final String BACKEND_MAKE_BEFORE_BREAK = "tunnelwatch.backend.make.before.break";

  /**
   * Counter, tunnels that carried traffic and went down while an action they did not ask for (by
   * another tunnel, on their IKE SA or the service) ran or settled: a second outage caused by a
   * repair. Expected to stay 0. Labels: tunnel (the one that went down); the log names the action
   * and who took it. Exported at 0 from the start, so that increase() sees the first one.
   */
  public static final String COLLATERAL_OUTAGES = "tunnelwatch.collateral.outages";

  /** Info, the agent's version (Prometheus name {@code tunnelwatch_build_info}). */
  public static final String BUILD_INFO = "tunnelwatch_build";

  // ---- Asynchronous rounds and the native ICMP engine (issue #7)
  /**
   * Counter, scheduled rounds not started because the tunnel's previous round (with its
   * confirmation rounds and repair) was still in flight. Labels: tunnel.
   */
  public static final String ROUNDS_SKIPPED = "tunnelwatch.round.skipped";
  /** Counter, echo requests (one per target and round) handed to the native ICMP engine. */
  public static final String ICMP_REQUESTS = "tunnelwatch.icmp.requests";
  /** Counter, echoes the native ICMP engine sent (the kernel accepted them). */
  public static final String ICMP_ECHOES_SENT = "tunnelwatch.icmp.echoes.sent";
  /** Counter, echoes answered within their timeout. */
  public static final String ICMP_ECHOES_ANSWERED = "tunnelwatch.icmp.echoes.answered";
  /** Counter, echoes that timed out unanswered (lost). */
  public static final String ICMP_ECHOES_EXPIRED = "tunnelwatch.icmp.echoes.expired";
  /** Counter, echoes the kernel refused to send (no route, source address gone, ...). */
  public static final String ICMP_SEND_ERRORS = "tunnelwatch.icmp.send.errors";
  /**
   * Counter, datagrams the engine read and ignored, by reason: {@code late} (after the echo timed
   * out), {@code duplicate}, {@code wrong_host} (our echo, answered by another host), {@code
   * wrong_payload}, {@code malformed} (no ICMP message). Labels: reason.
   */
  public static final String ICMP_REPLIES_IGNORED = "tunnelwatch.icmp.replies.ignored";
  public static final String TAG_REASON = "reason";

  public static final String TAG_TUNNEL = "tunnel";
  public static final String TAG_TARGET = "target";
  public static final String TAG_RESULT = "result";
  public static final String TAG_STATE = "state";
  public static final String TAG_ACTION = "action";
  public static final String TAG_UPLINK = "uplink";
  public static final String TAG_DIRECTION = "direction";
  public static final String TAG_RECEIVER = "receiver";
  public static final String TAG_KIND = "kind";

  private MetricNames() {}
}
