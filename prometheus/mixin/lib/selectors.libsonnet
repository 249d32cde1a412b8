// PromQL pieces that depend on the configuration: given the mixin's _config, selectors that
// carry the job matchers, and the gateway's name with the instance as its fallback.
{
  new(config):: {
    // metric{<selector>, <matchers>}
    metric(name, matchers=''):: '%s{%s%s}' % [name, config.selector, if matchers == '' then '' else ', ' + matchers],

    // For alert templates: the gateway label, or the instance where the target has none.
    gatewayName:: '{{ or $labels.%s $labels.instance }}' % config.gatewayLabel,
    gatewayRef:: '$labels.' + config.gatewayLabel,

    runbook(alert):: config.runbookURL + '#' + std.asciiLower(alert),
  },
}
