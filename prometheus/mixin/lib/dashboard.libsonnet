// PromQL for the dashboards: series of the agents' job on the gateways picked in the $gateway
// variable, each carrying a `gateway` label. Targets with the configured gateway label are
// matched on it; targets without it are matched on their instance, which then names them (in
// legends, tables and the variable itself), so that a fleet that does not label its targets
// still gets working dashboards.
{
  // op: '=~' where $gateway may hold several values, '=' where it holds one; value: what the
  // gateway is matched against ('.*' for the query of the $gateway variable itself).
  new(config, op, value='$gateway'):: {
    local label = config.gatewayLabel,
    local selector(name, matchers, gatewayMatchers) =
      '%s{%s}' % [name, std.join(', ', std.filter(function(m) m != '', [config.selector, matchers, gatewayMatchers]))],
    local named(expr, from) = 'label_replace(%s, "gateway", "$1", "%s", "(.*)")' % [expr, from],

    // format: PromQL with one %s where the selector goes, e.g. 'rate(%s[5m])'.
    fallback(format, name, matchers='')::
      local labelled = format % selector(name, matchers, '%s%s"%s", %s!=""' % [label, op, value, label]);
      local unlabelled = format % selector(name, matchers, '%s="", instance%s"%s"' % [label, op, value]);
      '(%s or %s)' % [if label == 'gateway' then labelled else named(labelled, label), named(unlabelled, 'instance')],

    // An instant vector selector.
    series(name, matchers='')::
      self.fallback('%s', name, matchers),

    // fn(selector[range]), e.g. range('rate', 'tunnelwatch_probes_total', '', '$__rate_interval').
    range(fn, name, matchers, range)::
      self.fallback(fn + '(%s[' + range + '])', name, matchers),

    // A Grafana query variable listing the values of `labelName` across `name`; query_result
    // rather than label_values, so that the instance fallback applies to it too.
    variable(varName, title, labelName, name, multi, matchers='')::
      local query = 'query_result(count by(%s) (%s))' % [labelName, self.series(name, matchers)];
      {
        name: varName,
        label: title,
        type: 'query',
        datasource: { type: 'prometheus', uid: '${datasource}' },
        query: { query: query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
        definition: query,
        regex: '/%s="([^"]*)"/' % labelName,
        refresh: 2,
        sort: 1,
        multi: multi,
        includeAll: multi,
        current: {},
        hide: 0,
        options: [],
      } + (if multi then { allValue: '.*' } else {}),
  },
}
