package org.tunnelwatch.discovery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies {@code also=} and {@code conn %default} to every conn.
 *
 * <p>Precedence, highest first: the conn's own settings, then those of the conns it names in
 * {@code also=} (in the order written, each with its own {@code also=} applied the same way),
 * then {@code conn %default} (all such sections, in order). A loop of {@code also=} is reported
 * and cut; an {@code also=} naming no conn is reported with the closest name that exists. Pure.
 */
final class ConnResolver {

  private final Map<String, ConfSection> conns = new LinkedHashMap<>();
  private final List<ConfSection> defaults = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  /** What was resolved: every conn but {@code %default}, and what was wrong. */
  record Result(List<ResolvedConn> conns, List<Diagnostic> diagnostics) {}

  static Result resolve(List<ConfSection> sections) {
    return new ConnResolver().run(sections);
  }

  private Result run(List<ConfSection> sections) {
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
    Set<String> referenced = new HashSet<>();
    List<ResolvedConn> resolved = new ArrayList<>();
    for (ConfSection conn : conns.values()) {
      Map<String, ConfSetting> settings = new LinkedHashMap<>();
      apply(conn, settings, new ArrayList<>(), referenced);
      for (ConfSection d : defaults) {
        apply(d, settings, new ArrayList<>(), referenced);
      }
      resolved.add(new ResolvedConn(conn.name(), conn.location(), settings, false));
    }
    List<ResolvedConn> marked = new ArrayList<>();
    for (ResolvedConn conn : resolved) {
      marked.add(new ResolvedConn(conn.name(), conn.location(), conn.settings(), referenced.contains(conn.name())));
    }
    return new Result(marked, dedupe(diagnostics));
  }

  private void apply(ConfSection section, Map<String, ConfSetting> into, List<String> chain, Set<String> referenced) {
    chain.add(section.name());
    for (ConfSetting s : section.settings()) {
      if (!s.key().equals("also")) {
        into.putIfAbsent(s.key(), s);
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
        ConfSection target = conns.get(name);
        if (target == null) {
          diagnostics.add(Diagnostic.warning(s.location(), "also=" + name + ": no conn named " + name + didYouMean(name)));
        } else if (chain.contains(name)) {
          diagnostics.add(
              Diagnostic.warning(
                  s.location(), "also=" + name + " makes a loop (" + String.join(" -> ", chain) + " -> " + name + "); not followed"));
        } else {
          apply(target, into, chain, referenced);
        }
      }
    }
    chain.remove(chain.size() - 1);
  }

  private String didYouMean(String name) {
    return Spelling.closest(name, conns.keySet()).map(n -> " (did you mean " + n + "?)").orElse("");
  }

  /** The same problem reached through several conns is one thing to fix. */
  private static List<Diagnostic> dedupe(List<Diagnostic> all) {
    return List.copyOf(new java.util.LinkedHashSet<>(all));
  }
}
