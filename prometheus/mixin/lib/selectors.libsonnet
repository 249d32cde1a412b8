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

    // A `for:` duration in the words of the descriptions, so that they say what the rule waits
    // for; durations without words here are written as Prometheus writes them.
    inWords(duration)::
      local words = { '1m': 'a minute', '2m': 'two minutes', '5m': 'five minutes', '10m': 'ten minutes', '15m': '15 minutes' };
      if std.objectHas(words, duration) then words[duration] else duration,
  },
}
