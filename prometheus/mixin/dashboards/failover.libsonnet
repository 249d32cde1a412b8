// The "Failover" rows: which member carries each failover group's traffic (docs/failover.md).
// The gateway dashboard shows it over time, the fleet dashboard the groups of every gateway now,
// those on a backup first.
local dashboard = import '../lib/dashboard.libsonnet';

local bottom(panels) = std.foldl(function(y, p) std.max(y, p.gridPos.y + p.gridPos.h), panels, 0);
local nextId(panels) = std.foldl(function(id, p) std.max(id, p.id), panels, 0) + 1;
local datasource = { type: 'prometheus', uid: '${datasource}' };
local row(id, y) = { id: id, type: 'row', title: 'Failover', collapsed: false, gridPos: { x: 0, y: y, w: 24, h: 1 }, panels: [] };

{
  grafanaDashboards+:: {
    'tunnelwatch-gateway.json'+: {
      local g = dashboard.new($._config, '='),
      local y = bottom(super.panels),
      local id = nextId(super.panels),
      panels+: [
        row(id, y),
        {
          id: id + 1,
          type: 'state-timeline',
          title: 'Traffic path per failover group',
          description: 'For each failover group, the member that carries its traffic (tunnelwatch_failover_active); a group on a member other than its first fires TunnelwatchFailoverOnBackup after a few minutes.',
          datasource: datasource,
          gridPos: { x: 0, y: y + 1, w: 24, h: 6 },
          targets: [
            {
              datasource: datasource,
              refId: 'A',
              expr: 'max by(gateway, group, tunnel) (%s)' % g.series('tunnelwatch_failover_active'),
              range: true,
              instant: false,
              legendFormat: '{{group}} via {{tunnel}}',
            },
          ],
          fieldConfig: {
            defaults: {
              mappings: [
                { type: 'value', options: { '0': { text: 'idle', color: 'transparent' }, '1': { text: 'carries traffic', color: 'green' } } },
              ],
            },
            overrides: [],
          },
          options: { showValue: 'never', mergeValues: true },
        },
      ],
    },

    'tunnelwatch-fleet.json'+: {
      local g = dashboard.new($._config, '=~'),
      local y = bottom(super.panels),
      local id = nextId(super.panels),
      panels+: [
        row(id, y),
        {
          id: id + 1,
          type: 'table',
          title: 'Failover groups now',
          description: 'Every failover group and the member that carries its traffic; "backup" where that is not its first member (time on a backup over the last 24 hours beside it).',
          datasource: datasource,
          gridPos: { x: 0, y: y + 1, w: 24, h: 7 },
          targets: [
            {
              datasource: datasource,
              refId: 'A',
              expr: 'max by(gateway, group, tunnel) (%s == 1)' % g.series('tunnelwatch_failover_active'),
              range: false,
              instant: true,
              format: 'table',
            },
            {
              datasource: datasource,
              refId: 'B',
              expr: 'max by(gateway, group) (%s)' % g.range('increase', 'tunnelwatch_failover_backup_seconds_total', '', '24h'),
              range: false,
              instant: true,
              format: 'table',
            },
          ],
          transformations: [
            { id: 'merge', options: {} },
            {
              id: 'organize',
              options: {
                excludeByName: { Time: true, 'Value #A': true },
                renameByName: { gateway: 'gateway', group: 'group', tunnel: 'traffic through', 'Value #B': 'on a backup, last 24h' },
              },
            },
          ],
          fieldConfig: {
            defaults: {},
            overrides: [
              { matcher: { id: 'byName', options: 'on a backup, last 24h' }, properties: [{ id: 'unit', value: 's' }] },
            ],
          },
          options: { sortBy: [{ displayName: 'on a backup, last 24h', desc: true }] },
        },
      ],
    },
  },
}
