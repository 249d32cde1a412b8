// The "SLA" row of the fleet dashboard: per tunnel, the figures of the recording rules in
// rules/rules.libsonnet over 1, 7 and 30 days, and the objective from the configuration.
local dashboard = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    'tunnelwatch-fleet.json'+: {
      local c = $._config,
      local g = dashboard.new(c, '=~'),
      local datasource = { type: 'prometheus', uid: '${datasource}' },
      local bottom = std.foldl(function(y, p) std.max(y, p.gridPos.y + p.gridPos.h), super.panels, 0),
      local firstId = std.foldl(function(id, p) std.max(id, p.id), super.panels, 0) + 1,

      // [column, recorded series, unit]
      local columns = [
        ['availability 1d', 'tunnel:tunnelwatch_availability:ratio1d', 'percentunit'],
        ['availability 7d', 'tunnel:tunnelwatch_availability:ratio7d', 'percentunit'],
        ['availability 30d', 'tunnel:tunnelwatch_availability:ratio30d', 'percentunit'],
        ['outages 30d', 'tunnel:tunnelwatch_outages:increase30d', 'none'],
        ['mean time to detect 30d', 'tunnel:tunnelwatch_time_to_detect_seconds:mean30d', 's'],
        ['mean time to repair 30d', 'tunnel:tunnelwatch_time_to_repair_seconds:mean30d', 's'],
      ],
      local refId(i) = std.char(std.codepoint('A') + i),

      panels+: [
        {
          id: firstId,
          type: 'row',
          title: 'SLA',
          collapsed: false,
          gridPos: { x: 0, y: bottom, w: 24, h: 1 },
          panels: [],
        },
        {
          id: firstId + 1,
          type: 'table',
          title: 'Availability, outages, mean time to detect and to repair',
          description: 'Per tunnel, from the recording rules of the tunnelwatch mixin. Availability is the share of the time the tunnel was not down (degraded counts as available); the objective is %s over %s. Times without scrapes are left out.' % [c.availabilityObjective, c.slaWindow],
          datasource: datasource,
          gridPos: { x: 0, y: bottom + 1, w: 24, h: 9 },
          targets: [
            {
              datasource: datasource,
              refId: refId(i),
              expr: 'max by(gateway, tunnel) (%s)' % g.series(columns[i][1], 'tunnel=~"$tunnel"'),
              format: 'table',
              instant: true,
              range: false,
            }
            for i in std.range(0, std.length(columns) - 1)
          ],
          fieldConfig: {
            defaults: {},
            overrides: [
              {
                matcher: { id: 'byName', options: columns[i][0] },
                properties: [{ id: 'unit', value: columns[i][2] }] + (
                  if columns[i][2] == 'percentunit' then [
                    { id: 'decimals', value: 3 },
                    {
                      id: 'thresholds',
                      value: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: c.availabilityObjective }] },
                    },
                    { id: 'custom.cellOptions', value: { type: 'color-text' } },
                  ] else []
                ),
              }
              for i in std.range(0, std.length(columns) - 1)
            ],
          },
          transformations: [
            { id: 'merge', options: {} },
            {
              id: 'organize',
              options: {
                excludeByName: { Time: true },
                renameByName: { ['Value #' + refId(i)]: columns[i][0] for i in std.range(0, std.length(columns) - 1) },
              },
            },
          ],
        },
      ],
    },
  },
}
