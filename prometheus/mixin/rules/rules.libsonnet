// Recording rules: the SLA figures of each tunnel (docs/monitoring.md#sla-figures).
//
// Down time comes from the agent's counter tunnelwatch_tunnel_down_seconds_total, which counts
// to within a round (finer than any scrape). Its 5-minute rate is the fraction of those minutes
// the tunnel was down; the availability over a window is one minus the mean of that fraction
// over the window's recorded samples, so time without scrapes (agent or Prometheus stopped) is
// left out rather than counted as up or down, and an outage weighs in fully 5 minutes after it.
local selectors = import '../lib/selectors.libsonnet';

{
  prometheusRules+:: {
    local c = $._config,
    local s = selectors.new(c),
    local downFraction = 'tunnel:tunnelwatch_tunnel_down_seconds:rate5m',
    local outages(w) = 'tunnel:tunnelwatch_outages:increase' + w,

    local window(w) = [
      {
        record: 'tunnel:tunnelwatch_availability:ratio' + w,
        expr: '1 - avg_over_time(%s[%s])' % [downFraction, w],
      },
      {
        // Changes to down in the window.
        record: outages(w),
        expr: 'sum without(state) (increase(%s[%s]))' % [s.metric('tunnelwatch_tunnel_state_changes_total', 'state="down"'), w],
      },
      {
        // Mean time to detect: first failed round to the change to down, per outage. Absent
        // over a window without outages.
        record: 'tunnel:tunnelwatch_time_to_detect_seconds:mean' + w,
        expr: 'increase(%s[%s]) / (%s > 0)' % [s.metric('tunnelwatch_tunnel_outage_detection_seconds_total'), w, outages(w)],
      },
      {
        // Mean time to repair: the change to down to the change back, per outage (detection
        // comes before it). An outage still going on at the end of the window counts with the
        // time it has lasted so far.
        record: 'tunnel:tunnelwatch_time_to_repair_seconds:mean' + w,
        expr: 'increase(%s[%s]) / (%s > 0)' % [s.metric('tunnelwatch_tunnel_down_seconds_total'), w, outages(w)],
      },
    ],

    groups+: [
      {
        name: 'tunnelwatch-sla-figures',
        rules: [
          {
            record: downFraction,
            expr: 'clamp_max(rate(%s[5m]), 1)' % s.metric('tunnelwatch_tunnel_down_seconds_total'),
          },
        ] + window('1d') + window('7d') + window('30d'),
      },
    ],
  },
}
