// What the dashboards' panels repeat: the datasource, the kinds of query, the state code.
{
  datasource:: { type: 'prometheus', uid: '${datasource}' },

  // A query whose last value is shown (stat panels, and tables through table()).
  instant(refId, expr):: { datasource: $.datasource, refId: refId, expr: expr, range: false, instant: true },

  // A column of a table panel; the panels merge their columns on the labels.
  table(refId, expr):: $.instant(refId, expr) + { format: 'table' },

  // A series over the dashboard's time range.
  graph(refId, expr, legend):: { datasource: $.datasource, refId: refId, expr: expr, range: true, instant: false, legendFormat: legend },

  // Each tunnel's state as a number for the state panels' value mappings: 0 unknown, 1 up,
  // 2 degraded, 3 down. g: the dashboard's selectors (lib/dashboard.libsonnet).
  stateCode(g, matchers)::
    |||
      max by(gateway, tunnel) (
        (%s == 1) * 1
        or (%s == 1) * 2
        or (%s == 1) * 3
        or (%s == 1) * 0
      )
    ||| % [g.series('tunnelwatch_tunnel_state', 'state="%s", %s' % [state, matchers]) for state in ['up', 'degraded', 'down', 'unknown']],

  // A count in the top row of the fleet dashboard, green at 0 and `color` from 1 on.
  countStat(id, title, x, color, expr):: {
    id: id,
    type: 'stat',
    title: title,
    datasource: $.datasource,
    gridPos: { x: x, y: 0, w: 4, h: 4 },
    targets: [$.instant('A', expr)],
    fieldConfig: {
      defaults: {
        unit: 'none',
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: color, value: 1 }] },
      },
      overrides: [],
    },
    options: { colorMode: 'background', graphMode: 'none', reduceOptions: { calcs: ['lastNotNull'] } },
  },
}
