// The gateway dashboard, in plain jsonnet (grafonnet is not packaged for Debian).
local dashboard = import '../lib/dashboard.libsonnet';

{
  grafanaDashboards+:: {
    'tunnelwatch-gateway.json':
      local c = $._config;
      local g = dashboard.new(c, '=');
      local allGateways = dashboard.new(c, '=~', '.*');
      local datasource = { type: 'prometheus', uid: '${datasource}' };
      {
        uid: 'tunnelwatch-gateway',
        title: 'tunnelwatch / Gateway',
        description: 'One gateway: its tunnels, targets, SAs, repairs and the agent itself.',
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
            allGateways.variable('gateway', 'Gateway', 'gateway', 'tunnelwatch_build_info', multi=false),
            g.variable('tunnel', 'Tunnel', 'tunnel', 'tunnelwatch_tunnel_up', multi=true),
          ],
        },
        panels: [
          {
            id: 1,
            type: 'state-timeline',
            title: 'Tunnels',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 0,
              w: 24,
              h: 7,
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
                legendFormat: '{{tunnel}}',
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
            },
          },
          {
            id: 2,
            type: 'state-timeline',
            title: 'IPsec daemon, uplinks and CHILD SAs',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 7,
              w: 24,
              h: 6,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'C',
                expr: 'max(%s)' % g.series('tunnelwatch_backend_up'),
                range: true,
                instant: false,
                legendFormat: 'IPsec daemon',
              },
              {
                datasource: datasource,
                refId: 'A',
                expr: 'max by(uplink) (%s)' % g.series('tunnelwatch_uplink_up'),
                range: true,
                instant: false,
                legendFormat: 'uplink {{uplink}}',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'max by(tunnel) (%s)' % g.series('tunnelwatch_child_sa_installed', 'tunnel=~"$tunnel"'),
                range: true,
                instant: false,
                legendFormat: 'SA {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                mappings: [
                  {
                    type: 'value',
                    options: {
                      '0': {
                        text: 'down / none',
                        color: 'red',
                      },
                      '1': {
                        text: 'up / installed',
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
            id: 3,
            type: 'timeseries',
            title: 'Echo loss per target',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 13,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum by(tunnel, target) (%s) / sum by(tunnel, target) (%s)' % [g.range('rate', 'tunnelwatch_probes_total', 'result!="success", tunnel=~"$tunnel"', '$__rate_interval'), g.range('rate', 'tunnelwatch_probes_total', 'tunnel=~"$tunnel"', '$__rate_interval')],
                range: true,
                instant: false,
                legendFormat: '{{tunnel}} → {{target}}',
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
            id: 4,
            type: 'timeseries',
            title: 'RTT per target (p50, p95)',
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 13,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'histogram_quantile(0.5, sum by(tunnel, target, le) (%s))' % g.range('rate', 'tunnelwatch_probe_rtt_seconds_bucket', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'p50 {{tunnel}} → {{target}}',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'histogram_quantile(0.95, sum by(tunnel, target, le) (%s))' % g.range('rate', 'tunnelwatch_probe_rtt_seconds_bucket', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'p95 {{tunnel}} → {{target}}',
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
            id: 5,
            type: 'timeseries',
            title: 'Loss and RTT as the agent judges them',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 21,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: '%s' % g.series('tunnelwatch_tunnel_loss_ratio', 'tunnel=~"$tunnel"'),
                range: true,
                instant: false,
                legendFormat: 'loss {{tunnel}}',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: '%s' % g.series('tunnelwatch_tunnel_rtt_seconds', 'tunnel=~"$tunnel"'),
                range: true,
                instant: false,
                legendFormat: 'RTT {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'percentunit',
              },
              overrides: [
                {
                  matcher: {
                    id: 'byFrameRefID',
                    options: 'B',
                  },
                  properties: [
                    {
                      id: 'unit',
                      value: 's',
                    },
                    {
                      id: 'custom.axisPlacement',
                      value: 'right',
                    },
                  ],
                },
              ],
            },
          },
          {
            id: 6,
            type: 'timeseries',
            title: 'Traffic through the CHILD SAs',
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 21,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum by(tunnel, direction) (%s)' % g.range('rate', 'tunnelwatch_child_sa_bytes_total', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: '{{tunnel}} {{direction}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'Bps',
                min: 0,
              },
              overrides: [],
            },
          },
          {
            id: 7,
            type: 'timeseries',
            title: 'Repairs',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 29,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum by(tunnel, action, result) (%s) > 0' % g.range('increase', 'tunnelwatch_remediations_total', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: '{{tunnel}}: {{action}} {{result}}',
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
            id: 8,
            type: 'timeseries',
            title: 'Repair duration (p90)',
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 29,
              w: 12,
              h: 8,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'histogram_quantile(0.9, sum by(tunnel, action, le) (%s))' % g.range('rate', 'tunnelwatch_remediation_duration_seconds_bucket', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: '{{tunnel}}: {{action}}',
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
            id: 9,
            type: 'table',
            title: 'Outage history',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 37,
              w: 24,
              h: 7,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'max by(tunnel) (%s)' % g.range('increase', 'tunnelwatch_tunnel_state_changes_total', 'state="down", tunnel=~"$tunnel"', '$__range'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'max by(tunnel) (%s)' % g.range('increase', 'tunnelwatch_tunnel_down_seconds_total', 'tunnel=~"$tunnel"', '$__range'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'C',
                expr: 'max by(tunnel) (%s)' % g.series('tunnelwatch_tunnel_last_outage_detection_seconds', 'tunnel=~"$tunnel"'),
                range: false,
                instant: true,
                format: 'table',
              },
              {
                datasource: datasource,
                refId: 'D',
                expr: 'max by(tunnel) (%s) * 1000' % g.series('tunnelwatch_tunnel_last_state_change_timestamp_seconds', 'tunnel=~"$tunnel"'),
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
                    'Value #A': 'outages in range',
                    'Value #B': 'time down in range',
                    'Value #C': 'detection time of the last outage',
                    'Value #D': 'last change',
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
                    options: 'outages in range',
                  },
                  properties: [
                    {
                      id: 'decimals',
                      value: 0,
                    },
                  ],
                },
                {
                  matcher: {
                    id: 'byName',
                    options: 'time down in range',
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
                    options: 'detection time of the last outage',
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
                    options: 'last change',
                  },
                  properties: [
                    {
                      id: 'unit',
                      value: 'dateTimeAsIso',
                    },
                  ],
                },
              ],
            },
          },
          {
            id: 10,
            type: 'timeseries',
            title: 'Agent: probe round lag (p99) and rounds failing inside the agent',
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 44,
              w: 12,
              h: 7,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'histogram_quantile(0.99, sum by(tunnel, le) (%s))' % g.range('rate', 'tunnelwatch_round_lag_seconds_bucket', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'lag p99 {{tunnel}}',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'sum by(tunnel) (%s)' % g.range('increase', 'tunnelwatch_round_errors_total', 'tunnel=~"$tunnel"', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'errors {{tunnel}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 's',
                min: 0,
              },
              overrides: [
                {
                  matcher: {
                    id: 'byFrameRefID',
                    options: 'B',
                  },
                  properties: [
                    {
                      id: 'unit',
                      value: 'none',
                    },
                    {
                      id: 'custom.axisPlacement',
                      value: 'right',
                    },
                  ],
                },
              ],
            },
          },
          {
            id: 11,
            type: 'timeseries',
            title: 'Agent: its own alert notifications',
            datasource: datasource,
            gridPos: {
              x: 12,
              y: 44,
              w: 12,
              h: 7,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum by(kind, receiver, result) (%s)' % g.range('increase', 'tunnelwatch_alert_notifications_total', '', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: '{{kind}} {{receiver}} {{result}}',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'max(%s)' % g.series('tunnelwatch_alerts_firing'),
                range: true,
                instant: false,
                legendFormat: 'alerts firing',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'none',
                min: 0,
              },
              overrides: [],
            },
            description: "Only when the agent's alerting section is configured.",
          },
          {
            id: 12,
            type: 'timeseries',
            title: 'Agent: native ICMP engine (echoes per second, replies ignored)',
            description: "The agent's one ICMP engine, all tunnels together: echoes sent, answered and lost (timed out), sends the kernel refused, and datagrams read and ignored by reason (late, duplicate, wrong host, wrong payload, malformed). Empty when the agent falls back to the ping program.",
            datasource: datasource,
            gridPos: {
              x: 0,
              y: 51,
              w: 24,
              h: 7,
            },
            targets: [
              {
                datasource: datasource,
                refId: 'A',
                expr: 'sum(%s)' % g.range('rate', 'tunnelwatch_icmp_echoes_sent_total', '', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'sent',
              },
              {
                datasource: datasource,
                refId: 'B',
                expr: 'sum(%s)' % g.range('rate', 'tunnelwatch_icmp_echoes_answered_total', '', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'answered',
              },
              {
                datasource: datasource,
                refId: 'C',
                expr: 'sum(%s)' % g.range('rate', 'tunnelwatch_icmp_echoes_expired_total', '', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'lost (timed out)',
              },
              {
                datasource: datasource,
                refId: 'D',
                expr: 'sum(%s)' % g.range('rate', 'tunnelwatch_icmp_send_errors_total', '', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'send errors',
              },
              {
                datasource: datasource,
                refId: 'E',
                expr: 'sum by(reason) (%s)' % g.range('rate', 'tunnelwatch_icmp_replies_ignored_total', '', '$__rate_interval'),
                range: true,
                instant: false,
                legendFormat: 'ignored: {{reason}}',
              },
            ],
            fieldConfig: {
              defaults: {
                unit: 'pps',
                min: 0,
              },
              overrides: [],
            },
          },
        ],
      },
  },
}
