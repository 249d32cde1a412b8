(import 'fleet.libsonnet') + (import 'gateway.libsonnet') + (import 'sla.libsonnet')
