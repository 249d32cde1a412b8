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
}
