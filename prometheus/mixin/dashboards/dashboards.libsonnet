(import 'fleet.libsonnet') + (import 'gateway.libsonnet') + (import 'sla.libsonnet') + (import 'failover.libsonnet')
