// What a site changes to fit the mixin to its Prometheus: override any of these in your own
// jsonnet (see docs/monitoring.md), e.g.
//   (import 'tunnelwatch-mixin/mixin.libsonnet') + { _config+:: { selector: 'job="ipsec"' } }
{
  _config+:: {
    // Label matchers that select the agents' scrapes; put in every selector of every rule and
    // panel, so that nothing else need name the job.
    selector: 'job="tunnelwatch"',

    // The target label naming a gateway (see prometheus/fleet/). Where a target lacks it, the
    // alerts and dashboards name the gateway by its `instance` instead.
    gatewayLabel: 'gateway',

    // Each alert's runbook_url is this base URL, '#' and the alert's name in lower case: point it
    // at where your team reads docs/runbook.md (the package installs it at this path).
    runbookURL: 'file:///usr/share/doc/tunnelwatch/runbook.md',

    // How long a condition must hold before its alert fires.
    tunnelDownFor: '2m',  // leaves the agent's repair ladder the time to fix an ordinary outage
    tunnelDegradedFor: '15m',
    saWithoutTrafficFor: '2m',
    ladderExhaustedFor: '1m',
    uplinkDownFor: '2m',
    backendDownFor: '2m',
    stateNotWritableFor: '15m',
    configReloadFailedFor: '5m',
    agentDownFor: '2m',
    agentAbsentFor: '10m',
    failoverOnBackupFor: '5m',  // a switch back (preempt-after 1m by default) clears it first

    // The availability objective of each tunnel over slaWindow; TunnelwatchAvailabilityObjective
    // fires when a tunnel's availability over that window is below it. slaWindow must be one of
    // the windows of the recording rules: 1d, 7d or 30d.
    availabilityObjective: 0.999,
    slaWindow: '30d',
    availabilityObjectiveFor: '10m',

    // Dashboards.
    dashboardTags: ['tunnelwatch', 'ipsec'],
    dashboardRefresh: '30s',
  },
}
