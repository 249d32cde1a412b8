// The fleet dashboard, in plain jsonnet (grafonnet is not packaged for Debian).
local dashboard = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    'tunnelwatch-fleet.json':
      local c = $._config;
      local g = dashboard.new(c, '=~');
      local allGateways = dashboard.new(c, '=~', '.*');
      local datasource = { type: 'prometheus', uid: '${datasource}' };
      {
        uid: 'tunnelwatch-fleet',
        title: 'tunnelwatch / Fleet',
        description: 'Every tunnel on every gateway watched by tunnelwatch.',
        tags: c.dashboardTags,
        schemaVersion: 39,
        version: 1,
        editable: true,
        graphTooltip: 1,
        time: {
          from: 'now-6h',
          to: 'now',
        },
        refresh: c.dashboardRefresh,
        timezone: '',
        annotations: {
          list: [],
        },
        links: [
          {
            title: 'tunnelwatch',
            type: 'dashboards',
            tags: [
              'tunnelwatch',
            ],
            asDropdown: true,
            includeVars: true,
            keepTime: true,
          },
        ],
        templating: {
          list: [
            {
              name: 'datasource',
              label: 'Prometheus',
              type: 'datasource',
              query: 'prometheus',
              current: {},
              hide: 0,
              refresh: 1,
              options: [],
            },
            allGateways.variable('gateway', 'Gateway', 'gateway', 'tunnelwatch_build_info', multi=true),
            g.variable('tunnel', 'Tunnel', 'tunnel', 'tunnelwatch_tunnel_up', multi=true),
          ],
        },
        panels: [
          {
            id: 1,
            type: 'stat',
            title: 'Tunnels down',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 0,
              w: 4,
              h: 4,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'count(%s == 1) or vector(0)' % g.series('tunnelwatch_tunnel_state', 'state="down", tunnel=~"$tunnel"'),
                range: false,
                instant: true,
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    {
                      color: 'green',
                      value: null,
                    },
                    {
                      color: 'red',
                      value: 1,
                    },
                  ],
                },
              },
              overrides: [],
            },
            options: {
              colorMode: 'background',
              graphMode: 'none',
              reduceOptions: {
                calcs: [
                  'lastNotNull',
                ],
              },
            },
          },
          {
            id: 2,
            type: 'stat',
            title: 'Tunnels degraded',
            datasource: datasource,
            gridPos: {
              x: 4,
              y: 0,
              w: 4,
              h: 4,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'count(%s == 1) or vector(0)' % g.series('tunnelwatch_tunnel_state', 'state="degraded", tunnel=~"$tunnel"'),
                range: false,
                instant: true,
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    {
                      color: 'green',
                      value: null,
                    },
                    {
                      color: 'yellow',
                      value: 1,
                    },
                  ],
                },
              },
              overrides: [],
            },
            options: {
              colorMode: 'background',
              graphMode: 'none',
              reduceOptions: {
                calcs: [
                  'lastNotNull',
                ],
              },
            },
          },
          {
            id: 3,
            type: 'stat',
            title: 'Gateways not scraped',
            datasource: datasource,
            gridPos: {
              x: 8,
              y: 0,
              w: 4,
              h: 4,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'count(%s == 0) or vector(0)' % g.series('up'),
                range: false,
                instant: true,
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    {
                      color: 'green',
                      value: null,
                    },
                    {
                      color: 'red',
                      value: 1,
                    },
                  ],
                },
              },
              overrides: [],
            },
            options: {
              colorMode: 'background',
              graphMode: 'none',
              reduceOptions: {
                calcs: [
                  'lastNotNull',
                ],
              },
            },
          },
          {
            id: 4,
            type: 'stat',
            title: 'Uplinks down',
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 0,
              w: 4,
              h: 4,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'count(%s == 0) or vector(0)' % g.series('tunnelwatch_uplink_up'),
                range: false,
                instant: true,
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    {
                      color: 'green',
                      value: null,
                    },
                    {
                      color: 'red',
                      value: 1,
                    },
                  ],
                },
              },
              overrides: [],
            },
            options: {
              colorMode: 'background',
              graphMode: 'none',
              reduceOptions: {
                calcs: [
                  'lastNotNull',
                ],
              },
            },
          },
          {
            id: 5,
            type: 'stat',
            title: 'Repairs in range',
            datasource: datasource,
            gridPos: {
              x: 16,
              y: 0,
              w: 4,
              h: 4,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum(%s) or vector(0)' % g.range('increase', 'tunnelwatch_remediations_total', 'result!="skipped", tunnel=~"$tunnel"', '$__range'),
                range: false,
                instant: true,
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                decimals: 0,
              },
              overrides: [],
            },
            options: {
              graphMode: 'none',
              reduceOptions: {
                calcs: [
                  'lastNotNull',
                ],
              },
            },
          },
          {
            id: 6,
            type: 'stat',
            title: 'Time down in range',
            datasource: datasource,
            gridPos: {
              x: 20,
              y: 0,
              w: 4,
              h: 4,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum(%s) or vector(0)' % g.range('increase', 'tunnelwatch_tunnel_down_seconds_total', 'tunnel=~"$tunnel"', '$__range'),
                range: false,
                instant: true,
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 's',
              },
              overrides: [],
            },
            options: {
              graphMode: 'none',
              reduceOptions: {
                calcs: [
                  'lastNotNull',
                ],
              },
            },
          },
          {
            id: 7,
            type: 'state-timeline',
            title: 'State of every tunnel',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 4,
              w: 24,
              h: 9,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: |||
                  max by(gateway, tunnel) (
                    (%s == 1) * 1
                    or (%s == 1) * 2
                    or (%s == 1) * 3
                    or (%s == 1) * 0
                  )
                ||| % [g.series('tunnelwatch_tunnel_state', 'state="up", tunnel=~"$tunnel"'), g.series('tunnelwatch_tunnel_state', 'state="degraded", tunnel=~"$tunnel"'), g.series('tunnelwatch_tunnel_state', 'state="down", tunnel=~"$tunnel"'), g.series('tunnelwatch_tunnel_state', 'state="unknown", tunnel=~"$tunnel"')],
                range: true,
                instant: false,
                legendFormat: '{{gateway}} / {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                mappings: [
                  {
                    type: 'value',
                    options: {
                      '0': {
                        text: 'unknown',
                        color: 'gray',
                      },
                      '1': {
                        text: 'up',
                        color: 'green',
                      },
                      '2': {
                        text: 'degraded',
                        color: 'yellow',
                      },
                      '3': {
                        text: 'down',
                        color: 'red',
                      },
                    },
                  },
                ],
                color: {
                  mode: 'thresholds',
                },
              },
              overrides: [],
            },
            options: {
              showValue: 'never',
              mergeValues: true,
              rowHeight: 0.8,
            },
          },
          {
            id: 8,
            type: 'table',
            title: 'Tunnels now',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 13,
              w: 24,
              h: 9,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: |||
                  max by(gateway, tunnel) (
                    (%s == 1) * 1
                    or (%s == 1) * 2
                    or (%s == 1) * 3
                    or (%s == 1) * 0
                  )
                ||| % [g.series('tunnelwatch_tunnel_state', 'state="up", tunnel=~"$tunnel"'), g.series('tunnelwatch_tunnel_state', 'state="degraded", tunnel=~"$tunnel"'), g.series('tunnelwatch_tunnel_state', 'state="down", tunnel=~"$tunnel"'), g.series('tunnelwatch_tunnel_state', 'state="unknown", tunnel=~"$tunnel"')],
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'max by(gateway, tunnel) (%s)' % g.series('tunnelwatch_tunnel_loss_ratio', 'tunnel=~"$tunnel"'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'C',
                expr: 'max by(gateway, tunnel) (%s)' % g.series('tunnelwatch_tunnel_rtt_seconds', 'tunnel=~"$tunnel"'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'D',
                expr: 'max by(gateway, tunnel) (time() - %s > 0)' % g.series('tunnelwatch_tunnel_last_state_change_timestamp_seconds', 'tunnel=~"$tunnel"'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'E',
                expr: 'max by(gateway, tunnel) (%s)' % g.series('tunnelwatch_remedy_ladder_exhausted', 'tunnel=~"$tunnel"'),
                range: false,
                instant: true,
                format: 'table',
              },
            ],
            transformations: [
              {
                id: 'merge',
                options: {},
              },
              {
                id: 'organize',
                options: {
                  excludeByName: {
                    Time: true,
                  },
                  renameByName: {
                    'Value #A': 'state',
                    'Value #B': 'loss',
                    'Value #C': 'mean RTT',
                    'Value #D': 'in this state for',
                    'Value #E': 'ladder exhausted',
                  },
                },
              },
            ],
            fieldConfig: {
              defaults: {},
              overrides: [
                {
                  matcher: {
                    id: 'byName',
                    options: 'state',
                  },
                  properties: [
                    {
                      id: 'mappings',
                      value: [
                        {
                          type: 'value',
                          options: {
                            '0': {
                              text: 'unknown',
                              color: 'gray',
                            },
                            '1': {
                              text: 'up',
                              color: 'green',
                            },
                            '2': {
                              text: 'degraded',
                              color: 'yellow',
                            },
                            '3': {
                              text: 'down',
                              color: 'red',
                            },
                          },
                        },
                      ],
                    },
                    {
                      id: 'custom.cellOptions',
                      value: {
                        type: 'color-background',
                      },
                    },
                  ],
                },
                {
                  matcher: {
                    id: 'byName',
                    options: 'loss',
                  },
                  properties: [
                    {
                      id: 'unit',
                      value: 'percentunit',
                    },
                  ],
                },
                {
                  matcher: {
                    id: 'byName',
                    options: 'mean RTT',
                  },
                  properties: [
                    {
                      id: 'unit',
                      value: 's',
                    },
                  ],
                },
                {
                  matcher: {
                    id: 'byName',
                    options: 'in this state for',
                  },
                  properties: [
                    {
                      id: 'unit',
                      value: 's',
                    },
                  ],
                },
              ],
            },
          },
          {
            id: 9,
            type: 'timeseries',
            title: "Loss over the agent's window",
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 22,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'max by(gateway, tunnel) (%s)' % g.series('tunnelwatch_tunnel_loss_ratio', 'tunnel=~"$tunnel"'),
                range: true,
                instant: false,
                legendFormat: '{{gateway}} / {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'percentunit',
                min: 0,
                max: 1,
              },
              overrides: [],
            },
          },
          {
            id: 10,
            type: 'timeseries',
            title: "Mean RTT over the agent's window",
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 22,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'max by(gateway, tunnel) (%s)' % g.series('tunnelwatch_tunnel_rtt_seconds', 'tunnel=~"$tunnel"'),
                range: true,
                instant: false,
                legendFormat: '{{gateway}} / {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 's',
                min: 0,
              },
              overrides: [],
            },
          },
          {
            id: 11,
            type: 'timeseries',
            title: 'Repairs',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 30,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum by(gateway, tunnel, action, result) (%s) > 0' % g.range('increase', 'tunnelwatch_remediations_total', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: '{{gateway}} / {{tunnel}}: {{action}} {{result}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                min: 0,
                custom: {
                  drawStyle: 'bars',
                  fillOpacity: 80,
                },
              },
              overrides: [],
            },
            description: 'Actions per interval by outcome; skipped ones were held back by the rate limit or dry-run.',
          },
          {
            id: 12,
            type: 'timeseries',
            title: 'Outages (changes to down)',
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 30,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum by(gateway, tunnel) (%s) > 0' % g.range('increase', 'tunnelwatch_tunnel_state_changes_total', 'state="down", tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: '{{gateway}} / {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                min: 0,
                custom: {
                  drawStyle: 'bars',
                  fillOpacity: 80,
                },
              },
              overrides: [],
            },
          },
          {
            id: 13,
            type: 'state-timeline',
            title: 'Uplinks',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 38,
              w: 24,
              h: 6,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'max by(gateway, uplink) (%s)' % g.series('tunnelwatch_uplink_up'),
                range: true,
                instant: false,
                legendFormat: '{{gateway}} / {{uplink}}',
              },
            ],
            fieldConfig: {
              defaults: {
                mappings: [
                  {
                    type: 'value',
                    options: {
                      '0': {
                        text: 'down',
                        color: 'red',
                      },
                      '1': {
                        text: 'up',
                        color: 'green',
                      },
                    },
                  },
                ],
                color: {
                  mode: 'thresholds',
                },
              },
              overrides: [],
            },
            options: {
              showValue: 'never',
              mergeValues: true,
            },
          },
          {
            id: 14,
            type: 'table',
            title: 'Agents',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 44,
              w: 24,
              h: 6,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'max by(gateway, instance, version) (%s)' % g.series('tunnelwatch_build_info'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'max by(gateway, instance) (%s)' % g.series('up'),
                range: false,
                instant: true,
                format: 'table',
              },
            ],
            transformations: [
              {
                id: 'merge',
                options: {},
              },
              {
                id: 'organize',
                options: {
                  excludeByName: {
                    Time: true,
                    'Value #A': true,
                  },
                  renameByName: {
                    'Value #B': 'scraped',
                  },
                },
              },
            ],
            fieldConfig: {
              defaults: {},
              overrides: [
                {
                  matcher: {
                    id: 'byName',
                    options: 'scraped',
                  },
                  properties: [
                    {
                      id: 'mappings',
                      value: [
                        {
                          type: 'value',
                          options: {
                            '0': {
                              text: 'down',
                              color: 'red',
                            },
                            '1': {
                              text: 'up',
                              color: 'green',
                            },
                          },
                        },
                      ],
                    },
                    {
                      id: 'custom.cellOptions',
                      value: {
                        type: 'color-background',
                      },
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
  },
}
