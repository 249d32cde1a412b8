package org.tunnelwatch.ipsec.strongswan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * strongswan.conf with everything it includes, read as charon reads it, and looked up as charon
 * looks values up: a dotted key, following section references ({@code name : other { }}) and
 * the fallbacks a daemon adds for its own section ({@link #withFallback}).
 *
 * <p>An instance does not change; {@link #withFallback} gives a new one over the same tree.
 */
public final class StrongswanSettings {

  /**
   * Lookups take at most this many steps, this deep; only references that fan out or run in
   * circles need more (charon would recurse until its stack ran out).
   */
  private static final int MAX_STEPS = 100_000;
  private static final int MAX_DEPTH = 200;

  private final Section top;
  private final List<Path> files;
  /** Section path to the fallbacks added to it, after the references its file gives it. */
  private final Map<String, List<String>> fallbacks;
  /** Empty sections standing in for those that have fallbacks but were never written. */
  private final Map<String, Section> placeholders;

  private StrongswanSettings(Section top, List<Path> files, Map<String, List<String>> fallbacks) {
    this.top = top;
    this.files = files;
    this.fallbacks = fallbacks;
    this.placeholders = new HashMap<>();
    for (String path : fallbacks.keySet()) {
      Section at = top;
      String prefix = "";
      for (String name : path.split("\\.")) {
        prefix = prefix.isEmpty() ? name : prefix + "." + name;
        at = at == null ? null : at.existing(name);
        if (at == null) {
          placeholders.computeIfAbsent(prefix, Section::new); // as ensure_section() makes them
        }
      }
    }
  }

  /**
   * Reads {@code file} and what it includes.
   *
   * @throws StrongswanSettingsException when a file cannot be read, breaks a bound (256 files, 1
   *     MiB each, includes 10 deep, no include loop, regular files only) or is not valid
   */
  public static StrongswanSettings load(Path file) throws StrongswanSettingsException {
    SettingsFiles files = new SettingsFiles();
    Section top = new SettingsParser(SettingsLexer.open(file.toAbsolutePath(), files)).parse();
    return new StrongswanSettings(top, files.files(), Map.of());
  }

  /**
   * These settings with {@code fallback} as a further place to look for what is not in {@code
   * section}, as {@code settings->add_fallback()}: charon-systemd adds {@code charon} to its
   * {@code charon-systemd} section, and every daemon adds {@code libstrongswan} to its own.
   */
  public StrongswanSettings withFallback(String section, String fallback) {
    Map<String, List<String>> more = new HashMap<>(fallbacks);
    List<String> list = new ArrayList<>(more.getOrDefault(section, List.of()));
    list.add(fallback);
    more.put(section, List.copyOf(list));
    return new StrongswanSettings(top, files, Map.copyOf(more));
  }

  /** The files read, in the order they were read: the top-level one first. */
  public List<Path> files() {
    return files;
  }

  /**
   * The value of a dotted key ({@code charon.make_before_break}), or empty when it is not set or
   * its last assignment was empty ({@code key =}), which in strongSwan means "the default".
   *
   * @throws StrongswanSettingsException only when section references run in circles or fan out
   *     so much that following them would take charon's stack or much time
   */
  /**
   * The sub-sections written under the section at dotted {@code key} (not those only reached
   * through references), sorted, each with where it was first opened: the connections of a
   * swanctl.conf, a connection's children. Empty if there is no such section.
   */
  public List<WrittenSection> sections(String key) {
    Section at = top;
    for (String name : key.split("\\.")) {
      at = at == null ? null : at.existing(name);
    }
    if (at == null) {
      return List.of();
    }
    List<WrittenSection> found = new java.util.ArrayList<>();
    for (String name : new java.util.TreeSet<>(at.sectionNames())) {
      Section s = at.existing(name);
      found.add(new WrittenSection(s.path(), name, s.file(), s.line()));
    }
    return found;
  }

  public Optional<Setting> get(String key) throws StrongswanSettingsException {
    Lookup lookup = new Lookup();
    Found found = lookup.value(top, key.split("\\."), 0, false);
    if (found == null || found.assignment().value() == null) {
      return Optional.empty();
    }
    Section.Assignment a = found.assignment();
    return Optional.of(new Setting(found.section().keyOf(found.name()), a.value(), a.file(), a.line()));
  }

  private record Found(Section section, String name, Section.Assignment assignment) {}

  /** One lookup, as charon's find_value_buffered() and find_sections_buffered(). */
  private final class Lookup {
    private final Set<Section> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private int steps;
    private int depth;

    Found value(Section section, String[] parts, int i, boolean ignoreReferences) throws StrongswanSettingsException {
      enter();
      try {
        return valueHere(section, parts, i, ignoreReferences);
      } finally {
        depth--;
      }
    }

    private Found valueHere(Section section, String[] parts, int i, boolean ignoreReferences)
        throws StrongswanSettingsException {
      Found found = null;
      if (i < parts.length - 1) {
        Section child = child(section, parts[i]);
        if (child != null) {
          found = value(child, parts, i + 1, false);
        }
      } else {
        visited.add(section);
        Section.Assignment a = section.value(parts[i]);
        if (a != null) {
          found = new Found(section, parts[i], a);
        }
      }
      if (found == null && !ignoreReferences) {
        // Not here: look for the rest of the key in the sections this one refers to, without
        // following their own references (sections() already added those).
        for (String reference : references(section)) {
          for (Section referenced : sections(reference)) {
            if (found == null && !visited.contains(referenced)) {
              found = value(referenced, parts, i, true);
            }
          }
          if (found != null) {
            break;
          }
        }
      }
      return found;
    }

    /** The sections a reference names, with those they refer to in turn. */
    List<Section> sections(String name) throws StrongswanSettingsException {
      List<Section> out = new ArrayList<>();
      sections(top, name.split("\\."), 0, false, out);
      return out;
    }

    private void sections(Section section, String[] parts, int i, boolean ignoreReferences, List<Section> out)
        throws StrongswanSettingsException {
      enter();
      try {
        sectionsHere(section, parts, i, ignoreReferences, out);
      } finally {
        depth--;
      }
    }

    private void sectionsHere(Section section, String[] parts, int i, boolean ignoreReferences, List<Section> out)
        throws StrongswanSettingsException {
      Section found = child(section, parts[i]);
      if (found != null) {
        if (i < parts.length - 1) {
          sections(found, parts, i + 1, false, out);
        } else if (out.stream().noneMatch(s -> s == found)) {
          out.add(found);
          for (String reference : references(found)) {
            sections(top, reference.split("\\."), 0, false, out);
          }
        }
      }
      if (!ignoreReferences && section != found) {
        for (String reference : references(section)) {
          for (Section referenced : sections(reference)) {
            sections(referenced, parts, i, true, out);
          }
        }
      }
    }

    private void enter() throws StrongswanSettingsException {
      if (++steps > MAX_STEPS || ++depth > MAX_DEPTH) {
        throw new StrongswanSettingsException(
            files.get(0) + ": section references too tangled to follow (in circles, or fanning out)");
      }
    }
  }

  private Section child(Section section, String name) {
    Section child = section.existing(name);
    return child != null ? child : placeholders.get(section.keyOf(name));
  }

  private List<String> references(Section section) {
    List<String> added = fallbacks.get(section.path());
    if (added == null) {
      return section.references();
    }
    List<String> all = new ArrayList<>(section.references());
    all.addAll(added);
    return all;
  }
}
