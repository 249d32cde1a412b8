package org.tunnelwatch.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tunnelwatch.input.InputLimits;

/**
 * Applies {@code also=} and {@code conn %default} to every conn.
 *
 * <p>Precedence, highest first: the conn's own settings, then those of the conns it names in
 * {@code also=} (in the order written, each with its own {@code also=} applied the same way),
 * then {@code conn %default} (all such sections, in order). A loop of {@code also=} is reported
 * and cut; an {@code also=} naming no conn is reported with the closest name that exists. Pure.
 *
 * <p>Each conn's {@code also=} is expanded once and remembered, so conns that share building
 * blocks (a diamond of {@code also=}, however deep) cost their number, not the number of paths
 * through them. An expansion cut by a loop through a conn further up the current chain depends on
 * where it was entered from and is not remembered. Every setting applied and every {@code also=}
 * followed counts against {@link InputLimits#IPSEC_CONF_RESOLVED_SETTINGS}, which bounds both
 * the work and the memory.
 */
final class ConnResolver {

  private final Map<String, ConfSection> conns = new LinkedHashMap<>();
  private final List<ConfSection> defaults = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Map<String, Map<String, ConfSetting>> expanded = new HashMap<>();
  /** The conns being expanded, outermost first, and where each is on that chain. */
  private final List<String> chain = new ArrayList<>();
  private final Map<String, Integer> onChain = new HashMap<>();
  private final Set<String> referenced = new HashSet<>();
  private int steps;

  /** What was resolved: every conn but {@code %default}, and what was wrong. */
  record Result(List<ResolvedConn> conns, List<Diagnostic> diagnostics) {}

  /** One expansion, and the highest place on the chain of a conn it met there (a loop). */
  private record Expansion(Map<String, ConfSetting> settings, int loopsTo) {}

  /**
   * @throws DiscoveryException when applying {@code also=} and {@code %default} copies more than
   *     {@link InputLimits#IPSEC_CONF_RESOLVED_SETTINGS} settings
   */
  static Result resolve(List<ConfSection> sections) throws DiscoveryException {
    return new ConnResolver().run(sections);
  }

  private Result run(List<ConfSection> sections) throws DiscoveryException {
    for (ConfSection section : sections) {
      if (section.kind() != ConfSection.Kind.CONN) {
        continue;
      }
      if (section.isDefaultConn()) {
        defaults.add(section);
        continue;
      }
      ConfSection first = conns.putIfAbsent(section.name(), section);
      if (first != null) {
        diagnostics.add(
            Diagnostic.warning(
                section.location(), "conn " + section.name() + " is defined twice (first at " + first.location() + "); this one is ignored"));
      }
    }
    Map<String, ConfSetting> fromDefaults = new LinkedHashMap<>();
    for (ConfSection d : defaults) {
      merge(expand(d).settings(), fromDefaults, d);
    }
    List<ResolvedConn> resolved = new ArrayList<>();
    for (ConfSection conn : conns.values()) {
      Map<String, ConfSetting> settings = new LinkedHashMap<>();
      merge(expanded(conn), settings, conn);
      merge(fromDefaults, settings, conn);
      resolved.add(new ResolvedConn(conn.name(), conn.location(), settings, false));
    }
    List<ResolvedConn> marked = new ArrayList<>();
    for (ResolvedConn conn : resolved) {
      marked.add(new ResolvedConn(conn.name(), conn.location(), conn.settings(), referenced.contains(conn.name())));
    }
    return new Result(marked, dedupe(diagnostics));
  }

  /** The conn's own settings with its {@code also=} applied, remembered when that is safe. */
  private Map<String, ConfSetting> expanded(ConfSection conn) throws DiscoveryException {
    Map<String, ConfSetting> known = expanded.get(conn.name());
    return known != null ? known : expand(conn).settings();
  }

  private Expansion expand(ConfSection section) throws DiscoveryException {
    int place = chain.size();
    chain.add(section.name());
    onChain.put(section.name(), place);
    Map<String, ConfSetting> into = new LinkedHashMap<>();
    int loopsTo = Integer.MAX_VALUE;
    for (ConfSetting s : section.settings()) {
      if (!s.key().equals("also")) {
        putIfAbsent(into, s, section);
      }
    }
    for (ConfSetting s : section.settings()) {
      if (!s.key().equals("also")) {
        continue;
      }
      for (String name : s.value().split("\\s+")) {
        if (name.isEmpty()) {
          continue;
        }
        referenced.add(name);
        charge(section);
        ConfSection target = conns.get(name);
        Integer loop = onChain.get(name);
        if (target == null) {
          diagnostics.add(Diagnostic.warning(s.location(), "also=" + name + ": no conn named " + name + didYouMean(name)));
        } else if (loop != null) {
          diagnostics.add(
              Diagnostic.warning(
                  s.location(), "also=" + name + " makes a loop (" + String.join(" -> ", chain) + " -> " + name + "); not followed"));
          loopsTo = Math.min(loopsTo, loop);
        } else if (expanded.containsKey(name)) {
          merge(expanded.get(name), into, section);
        } else {
          Expansion inner = expand(target);
          loopsTo = Math.min(loopsTo, inner.loopsTo());
          merge(inner.settings(), into, section);
        }
      }
    }
    chain.remove(place);
    onChain.remove(section.name());
    if (loopsTo >= place && !section.isDefaultConn()) {
      expanded.put(section.name(), into);
    }
    return new Expansion(into, loopsTo);
  }

  private void merge(Map<String, ConfSetting> from, Map<String, ConfSetting> into, ConfSection at) throws DiscoveryException {
    for (ConfSetting s : from.values()) {
      putIfAbsent(into, s, at);
    }
  }

  private void putIfAbsent(Map<String, ConfSetting> into, ConfSetting s, ConfSection at) throws DiscoveryException {
    charge(at);
    into.putIfAbsent(s.key(), s);
  }

  /**
   * Counts one step, a setting applied (new or not) or an {@code also=} followed, so that the
   * count bounds the work as well as the memory, even for conns without settings.
   */
  private void charge(ConfSection at) throws DiscoveryException {
    if (++steps > InputLimits.IPSEC_CONF_RESOLVED_SETTINGS) {
      throw new DiscoveryException(
          at.location() + ": conn " + at.name() + ": applying also= and %default takes more than "
              + InputLimits.IPSEC_CONF_RESOLVED_SETTINGS + " settings and also= references in all; not read");
    }
  }

  private String didYouMean(String name) {
    return Spelling.closest(name, conns.keySet()).map(n -> " (did you mean " + n + "?)").orElse("");
  }

  /** The same problem reached through several conns is one thing to fix. */
  private static List<Diagnostic> dedupe(List<Diagnostic> all) {
    return List.copyOf(new java.util.LinkedHashSet<>(all));
  }
}
