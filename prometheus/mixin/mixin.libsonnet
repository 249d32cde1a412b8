// The tunnelwatch monitoring mixin (https://monitoring.mixins.dev conventions): alerting rules,
// recording rules and Grafana dashboards, from one configuration. `generate` renders the files
// shipped in prometheus/rules/ and grafana/dashboards/.
(import 'config.libsonnet')
+ (import 'alerts/alerts.libsonnet')
+ (import 'rules/rules.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
