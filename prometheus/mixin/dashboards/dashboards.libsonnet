(import 'fleet.libsonnet') + (import 'gateway.libsonnet')
