// Alerting rules. Every alert has a section in docs/runbook.md, named after it, and promtool unit
// tests in prometheus/tests/ that see it firing and not firing.
local selectors = import '../lib/selectors.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local s = selectors.new(c),
    local gw = s.gatewayName,
    local alert(name, expr, severity, summary, description, forDuration=null) =
      { alert: name, expr: expr }
      + (if forDuration == null then {} else { 'for': forDuration })
      + {
        labels: { severity: severity },
        annotations: { summary: summary, description: description, runbook_url: s.runbook(name) },
      },

    groups+: [
      {
        name: 'tunnelwatch-tunnels',
        rules: [
          // The agent already waited down-after failed rounds; tunnelDownFor gives its repair
          // ladder the time to fix an ordinary outage before a person is woken.
          alert(
            'TunnelwatchTunnelDown',
            s.metric('tunnelwatch_tunnel_state', 'state="down"') + ' == 1',
            'critical',
            'Tunnel {{ $labels.tunnel }} on %s is down' % gw,
            "No echo through tunnel {{ $labels.tunnel }} on gateway %s has come back for more than two minutes: the site behind it is cut off and the agent's repairs have not brought it back." % gw,
            c.tunnelDownFor,
          ),
          // The value is the loss ratio over the agent's window; a degraded tunnel with little
          // loss crossed the RTT limit instead.
          alert(
            'TunnelwatchTunnelDegraded',
            '%s and ignoring(state) (%s == 1)' % [s.metric('tunnelwatch_tunnel_loss_ratio'), s.metric('tunnelwatch_tunnel_state', 'state="degraded"')],
            'warning',
            'Tunnel {{ $labels.tunnel }} on %s is degraded' % gw,
            "Tunnel {{ $labels.tunnel }} on gateway %s has been degraded for 15 minutes: loss over the agent's window is {{ $value | humanizePercentage }} (if that is within the limit, the mean RTT is over it). Traffic passes; the agent does not repair a degraded tunnel." % gw,
            c.tunnelDegradedFor,
          ),
          // Three or more outages in an hour (increase() extrapolates, hence > 2 and not >= 3).
          alert(
            'TunnelwatchTunnelFlapping',
            'sum without(state) (increase(%s[1h])) > 2' % s.metric('tunnelwatch_tunnel_state_changes_total', 'state="down"'),
            'warning',
            'Tunnel {{ $labels.tunnel }} on %s is flapping' % gw,
            'Tunnel {{ $labels.tunnel }} on gateway ' + gw + ' went down {{ $value | printf "%.0f" }} times in the last hour. Each outage was repaired or healed, but something keeps breaking it.',
          ),
          // The case dead-peer detection misses: the daemon has the CHILD SA installed, yet no
          // packet has come in through it and no probe has been answered.
          alert(
            'TunnelwatchSaWithoutTraffic',
            |||
              %s == 1
              and on(job, instance, tunnel)
                sum by(job, instance, tunnel) (increase(%s[3m])) == 0
              and on(job, instance, tunnel)
                sum by(job, instance, tunnel) (increase(%s[3m])) == 0
            ||| % [
              s.metric('tunnelwatch_child_sa_installed'),
              s.metric('tunnelwatch_child_sa_packets_total', 'direction="in"'),
              s.metric('tunnelwatch_probes_total', 'result="success"'),
            ],
            'critical',
            'Tunnel {{ $labels.tunnel }} on %s has an installed SA that carries nothing' % gw,
            'The IPsec daemon on gateway %s reports the CHILD SA of tunnel {{ $labels.tunnel }} installed, but no packet came in through it and no probe was answered for five minutes: the data plane is dead while IKE still looks healthy.' % gw,
            c.saWithoutTrafficFor,
          ),
        ],
      },
      {
        name: 'tunnelwatch-failover',
        rules: [
          // The counter of seconds on a backup grows at one a second while a group's traffic goes
          // through a member other than its first; the join names that member. The failover kept
          // the site connected, so this is a warning: the preferred path is broken and the
          // backup (often a slower or metered line) carries everything.
          alert(
            'TunnelwatchFailoverOnBackup',
            |||
              (rate(%s[2m]) > 0.5)
              * on(job, instance, group) group_left(tunnel)
                (%s == 1)
            ||| % [s.metric('tunnelwatch_failover_backup_seconds_total'), s.metric('tunnelwatch_failover_active')],
            'warning',
            'Traffic of failover group {{ $labels.group }} on %s goes through backup {{ $labels.tunnel }}' % gw,
            'The traffic of failover group {{ $labels.group }} on gateway %s has gone through {{ $labels.tunnel }}, not its first member, for five minutes: the preferred path is down or held down for flapping. The agent switches back by itself once the first member has been healthy for preempt-after (unless preempt is off).' % gw,
            c.failoverOnBackupFor,
          ),
        ],
      },
      {
        name: 'tunnelwatch-sla',
        rules: [
          // Over a long window a single outage moves the figure little, so the alert waits only
          // long enough to ride out a rule evaluation that saw a partial scrape.
          alert(
            'TunnelwatchAvailabilityObjective',
            'tunnel:tunnelwatch_availability:ratio%s{%s} < %s' % [c.slaWindow, c.selector, c.availabilityObjective],
            'warning',
            'Tunnel {{ $labels.tunnel }} on %s is below its availability objective' % gw,
            'Tunnel {{ $labels.tunnel }} on gateway %s was available {{ $value | humanizePercentage }} of the last %s, below the objective of {{ %s | humanizePercentage }}.' % [gw, c.slaWindow, c.availabilityObjective],
            c.availabilityObjectiveFor,
          ),
        ],
      },
      {
        name: 'tunnelwatch-remediation',
        rules: [
          alert(
            'TunnelwatchLadderExhausted',
            s.metric('tunnelwatch_remedy_ladder_exhausted') + ' == 1',
            'critical',
            'Every repair of tunnel {{ $labels.tunnel }} on %s was tried' % gw,
            'The agent on gateway %s has tried every rung of its repair ladder on tunnel {{ $labels.tunnel }} since it was last up, and the tunnel is still not back. It needs a person.' % gw,
            c.ladderExhaustedFor,
          ),
          // Three or more failed actions in half an hour (see the flapping rule about > 2).
          alert(
            'TunnelwatchRemediationFailing',
            'sum without(action, result) (increase(%s[30m])) > 2' % s.metric('tunnelwatch_remediations_total', 'result="failure"'),
            'warning',
            'Repairs of tunnel {{ $labels.tunnel }} on %s keep failing' % gw,
            '{{ $value | printf "%.0f" }} repair actions on tunnel {{ $labels.tunnel }} on gateway ' + gw + ' failed in the last 30 minutes: the daemon refuses them or they time out.',
          ),
        ],
      },
      {
        name: 'tunnelwatch-gateway',
        rules: [
          alert(
            'TunnelwatchUplinkDown',
            s.metric('tunnelwatch_uplink_up') + ' == 0',
            'warning',
            'Uplink {{ $labels.uplink }} on %s is down' % gw,
            'The interface of uplink {{ $labels.uplink }} on gateway %s has been down for two minutes. The tunnels over it are down too, and the agent does not try to repair them until it is back.' % gw,
            c.uplinkDownFor,
          ),
          // The agent lost the IPsec daemon (charon not running, its socket gone). It skips the
          // repairs that need the daemon and only restarts the service if its ladder says so;
          // backendDownFor leaves that restart, or a package upgrade's restart, the time to finish.
          alert(
            'TunnelwatchBackendDown',
            s.metric('tunnelwatch_backend_up') + ' == 0',
            'critical',
            'tunnelwatch on %s cannot reach the IPsec daemon' % gw,
            "The agent on gateway %s has not been able to list the IPsec daemon's SAs for two minutes: charon is not running or does not answer on its socket. Every tunnel of that gateway is likely down; the agent can only restart the service, if its ladder has restart-service." % gw,
            c.backendDownFor,
          ),
          // A repair for one tunnel took down another that carried traffic: what the agent plans
          // for shared objects (an IKE SA, the daemon) is meant to make that impossible, so one
          // is a finding to look at, not to wait out. It stays for an hour after the last one.
          alert(
            'TunnelwatchCollateralOutage',
            'increase(%s[1h]) > 0' % s.metric('tunnelwatch_collateral_outages_total'),
            'warning',
            'tunnelwatch on %s cut tunnel {{ $labels.tunnel }} while repairing another' % gw,
            'Tunnel {{ $labels.tunnel }} on gateway %s carried traffic and went down while another tunnel\'s repair of something they share (their IKE SA, or the IPsec service) ran or settled. The agent\'s log names the action and the tunnel that took it ("collateral outage").' % gw,
          ),
          // Nothing breaks at once: the remediation history lives in memory. But a restart of
          // the agent would forget it, so its hourly limit would start again from nothing.
          alert(
            'TunnelwatchStateNotWritable',
            s.metric('tunnelwatch_state_writable') + ' == 0',
            'warning',
            'tunnelwatch on %s cannot save its repair history' % gw,
            'The agent on gateway %s has not been able to write its state directory for 15 minutes (missing and not creatable, read-only or full). It keeps probing and repairing, but after a restart it would not remember its recent repairs, and max-actions-per-hour would start from zero.' % gw,
            c.stateNotWritableFor,
          ),
          alert(
            'TunnelwatchConfigReloadFailed',
            s.metric('tunnelwatch_config_last_reload_successful') + ' == 0',
            'warning',
            'tunnelwatch on %s rejected its new configuration' % gw,
            'The last configuration reload of the agent on gateway %s failed; it keeps running on the configuration it loaded before. Its log names each problem with file, line and column.' % gw,
            c.configReloadFailedFor,
          ),
        ],
      },
      {
        name: 'tunnelwatch-scrape',
        rules: [
          alert(
            'TunnelwatchAgentDown',
            s.metric('up') + ' == 0',
            'critical',
            'Prometheus cannot scrape tunnelwatch on %s' % gw,
            "Scrapes of {{ $labels.instance }} (gateway %s) have failed for two minutes: the agent stopped, or the gateway, its uplink or the tunnel that carries the scrape is down. The agent's own alerts, sent straight to Alertmanager, may say which." % gw,
            c.agentDownFor,
          ),
          alert(
            'TunnelwatchAgentAbsent',
            'absent(%s)' % s.metric('up'),
            'warning',
            'Prometheus has no tunnelwatch target at all',
            'There has been no target in job tunnelwatch for ten minutes: service discovery lost the gateways (an empty or unreadable file_sd file) or the job was renamed. No tunnel is watched by these rules.',
            c.agentAbsentFor,
          ),
        ],
      },
    ],
  },
}
