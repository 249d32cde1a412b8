package org.tunnelwatch.telemetry;

/**
 * Every metric the agent exports, in one place. Dashboards and alerting rules depend on these
 * names and labels: change them only with a note in the changelog.
 *
 * <p>Names are as scraped, suffixes included, so that a name in a rule or dashboard is found here
 * by a plain search. Micrometer and the Prometheus client take them as they are.
 */
public final class MetricNames {

  /** Gauge, 1 while the tunnel is up or degraded, else 0. Labels: tunnel. */
  public static final String TUNNEL_UP = "tunnelwatch_tunnel_up";
  /** Gauge, 1 for the tunnel's current state, 0 for the others. Labels: tunnel, state. */
  public static final String TUNNEL_STATE = "tunnelwatch_tunnel_state";
  /** Gauge, echo loss over the health window, 0..1. Labels: tunnel. */
  public static final String TUNNEL_LOSS_RATIO = "tunnelwatch_tunnel_loss_ratio";
  /** Gauge, mean RTT over the health window, seconds. Labels: tunnel. */
  public static final String TUNNEL_RTT = "tunnelwatch_tunnel_rtt_seconds";
  /** Counter, echo requests by outcome. Labels: tunnel, target, result. */
  public static final String PROBES = "tunnelwatch_probes_total";
  /** Histogram (timer), echo round-trip time. Labels: tunnel, target. */
  public static final String PROBE_RTT = "tunnelwatch_probe_rtt_seconds";
  /** Counter, repair actions by outcome. Labels: tunnel, action, result. */
  public static final String REMEDIATIONS = "tunnelwatch_remediations_total";
  /** Gauge, 1 once every rung has been tried since the tunnel was last up. Labels: tunnel. */
  public static final String LADDER_EXHAUSTED = "tunnelwatch_remedy_ladder_exhausted";
  /** Gauge, 1 while the uplink interface is up. Labels: uplink. */
  public static final String UPLINK_UP = "tunnelwatch_uplink_up";
  /** Counter, scheduled maintenance actions by outcome. Labels: action, result. */
  public static final String MAINTENANCE = "tunnelwatch_maintenance_actions_total";
  /** Counter, probe rounds that failed inside the agent (a bug, not a tunnel fault). Labels: tunnel. */
  public static final String ROUND_ERRORS = "tunnelwatch_round_errors_total";
  /** Counter, changes of state, by the state changed to (up, degraded, down). Labels: tunnel, state. */
  public static final String STATE_CHANGES = "tunnelwatch_tunnel_state_changes_total";
  /** Gauge, Unix time of the last change of state, 0 before the first. Labels: tunnel. */
  public static final String LAST_STATE_CHANGE = "tunnelwatch_tunnel_last_state_change_timestamp_seconds";
  /** Counter, seconds the tunnel has spent down. Labels: tunnel. */
  public static final String DOWN_TIME = "tunnelwatch_tunnel_down_seconds_total";
  /**
   * Gauge, seconds from the first failed round of the last outage to the change to down: what
   * {@code down-after} cost in detection. Labels: tunnel.
   */
  public static final String LAST_DETECTION = "tunnelwatch_tunnel_last_outage_detection_seconds";
  /**
   * Counter, the detection times of all outages added up (each as in {@link #LAST_DETECTION}):
   * with the changes to down, the mean time to detect over any range. Labels: tunnel.
   */
  public static final String DETECTION_TIME = "tunnelwatch_tunnel_outage_detection_seconds_total";
  /** Histogram (timer), how long actions that ran took (skipped ones excluded). Labels: tunnel, action. */
  public static final String REMEDIATION_DURATION = "tunnelwatch_remediation_duration_seconds";
  /** Histogram (timer), how much later than one interval after the previous round a round started. Labels: tunnel. */
  public static final String ROUND_LAG = "tunnelwatch_round_lag_seconds";
  /** Gauge, 1 while the daemon reports the tunnel's CHILD SA installed. Labels: tunnel. */
  public static final String CHILD_SA_INSTALLED = "tunnelwatch_child_sa_installed";
  /** Counter (the daemon's), bytes through the current CHILD SA. Labels: tunnel, direction. */
  public static final String CHILD_SA_BYTES = "tunnelwatch_child_sa_bytes_total";
  /** Counter (the daemon's), packets through the current CHILD SA. Labels: tunnel, direction. */
  public static final String CHILD_SA_PACKETS = "tunnelwatch_child_sa_packets_total";
  /** Counter, alert notifications sent by the agent itself, by outcome. Labels: receiver, kind, result. */
  public static final String ALERT_NOTIFICATIONS = "tunnelwatch_alert_notifications_total";
  /** Gauge, alerts the agent itself currently reports as firing. */
  public static final String ALERTS_FIRING = "tunnelwatch_alerts_firing";
  /** Gauge, seconds the tunnel's IKE SA has been established, 0 without one. Labels: tunnel. */
  public static final String IKE_SA_ESTABLISHED = "tunnelwatch_ike_sa_established_seconds";
  /**
   * Gauge, seconds since the tunnel's CHILD SA last received a packet (charon's {@code use-in});
   * NaN while unknown (no CHILD SA, nothing received yet, or a backend that does not say). Labels:
   * tunnel.
   */
  public static final String CHILD_SA_INBOUND_IDLE = "tunnelwatch_child_sa_inbound_idle_seconds";
  // Failover groups (docs/failover.md).
  /** Gauge, 1 for the member that carries the group's traffic, 0 for the others. Labels: group, tunnel. */
  public static final String FAILOVER_ACTIVE = "tunnelwatch_failover_active";
  /** Counter, switches of a group's traffic from one member to another, by why. Labels: group, from, to, reason. */
  public static final String FAILOVERS = "tunnelwatch_failovers_total";
  /** Counter, seconds the group's traffic has gone through a member other than its first. Labels: group. */
  public static final String FAILOVER_BACKUP_TIME = "tunnelwatch_failover_backup_seconds_total";
  /** Gauge, 1 if the last configuration reload succeeded, 0 if the previous one was kept. */
  public static final String CONFIG_LAST_RELOAD_SUCCESSFUL = "tunnelwatch_config_last_reload_successful";
  /** Gauge, when the configuration in use was loaded, seconds since the epoch. */
  public static final String CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP = "tunnelwatch_config_last_reload_success_timestamp_seconds";
  // Faults around the agent: the daemon and the state directory.
  /**
   * Gauge, 1 while the IPsec daemon answers (the last attempt to list its SAs succeeded), 0 while
   * it does not; NaN until the first attempt.
   */
  public static final String BACKEND_UP = "tunnelwatch_backend_up";
  /**
   * Gauge, 1 while the remediation history can be written to the state directory, 0 while it
   * cannot (missing, read-only, full: the history then lives in memory); NaN until the first write.
   */
  public static final String STATE_WRITABLE = "tunnelwatch_state_writable";

  /**
   * Gauge, 1 when charon builds a new IKE SA before it deletes the old one on reauthentication
   * ({@code make_before_break}), 0 when it does not (strongSwan's default), NaN when unknown.
   * Without it {@code reauth-ike} interrupts every CHILD SA of its IKE SA.
   */
  public static final String BACKEND_MAKE_BEFORE_BREAK = "tunnelwatch_backend_make_before_break";

  /**
   * Counter, tunnels that carried traffic and went down while an action they did not ask for (by
   * another tunnel, on their IKE SA or the service) ran or settled: a second outage caused by a
   * repair. Expected to stay 0. Labels: tunnel (the one that went down); the log names the action
   * and who took it. Exported at 0 from the start, so that increase() sees the first one.
   */
  public static final String COLLATERAL_OUTAGES = "tunnelwatch_collateral_outages_total";

  /**
   * Info, the agent's version: scraped as {@code tunnelwatch_build_info}. The only name here
   * without its suffix, because the Prometheus client adds {@code _info} itself and would export
   * the family twice if given it.
   */
  public static final String BUILD_INFO = "tunnelwatch_build";

  // The native ICMP engine and rounds that could not start.
  /**
   * Counter, scheduled rounds not started because the tunnel's previous round (with its
   * confirmation rounds and repair) was still in flight. Labels: tunnel.
   */
  public static final String ROUNDS_SKIPPED = "tunnelwatch_round_skipped_total";
  /** Counter, echo requests (one per target and round) handed to the native ICMP engine. */
  public static final String ICMP_REQUESTS = "tunnelwatch_icmp_requests_total";
  /** Counter, echoes the native ICMP engine sent (the kernel accepted them). */
  public static final String ICMP_ECHOES_SENT = "tunnelwatch_icmp_echoes_sent_total";
  /** Counter, echoes answered within their timeout. */
  public static final String ICMP_ECHOES_ANSWERED = "tunnelwatch_icmp_echoes_answered_total";
  /** Counter, echoes that timed out unanswered (lost). */
  public static final String ICMP_ECHOES_EXPIRED = "tunnelwatch_icmp_echoes_expired_total";
  /** Counter, echoes the kernel refused to send (no route, source address gone, ...). */
  public static final String ICMP_SEND_ERRORS = "tunnelwatch_icmp_send_errors_total";
  /**
   * Counter, datagrams the engine read and ignored, by reason: {@code late} (after the echo timed
   * out), {@code duplicate}, {@code wrong_host} (our echo, answered by another host), {@code
   * wrong_payload}, {@code malformed} (no ICMP message). Labels: reason.
   */
  public static final String ICMP_REPLIES_IGNORED = "tunnelwatch_icmp_replies_ignored_total";
  public static final String TAG_REASON = "reason";

  public static final String TAG_TUNNEL = "tunnel";
  public static final String TAG_GROUP = "group";
  public static final String TAG_FROM = "from";
  public static final String TAG_TO = "to";
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
