package org.tunnelwatch.ipsec.strongswan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One section of the merged settings tree. A section that is opened again, in the same file or
 * another, is this same object, so a later assignment replaces an earlier one, as in charon.
 */
final class Section {

  /**
   * One {@code key = value}; {@code value} is null for an empty assignment ({@code key =}), which
   * charon keeps as a value-less key: it hides earlier values and fallbacks, and the default
   * applies.
   */
  record Assignment(String value, Path file, int line) {}

  private final String path;
  private final Map<String, Section> sections = new HashMap<>();
  private final Map<String, Assignment> values = new HashMap<>();
  private final List<String> references = new ArrayList<>();
  /** Where the section was first opened, if it was written at all. */
  private Path file;
  private int line;

  Section(String path) {
    this.path = path;
  }

  /** The dotted path from the top, empty for the top. */
  String path() {
    return path;
  }

  String keyOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** The sub-section, made if it does not exist yet. */
  Section open(String name) {
    return sections.computeIfAbsent(name, n -> new Section(keyOf(n)));
  }

  /** The sub-section, made if it does not exist yet; the first opening is its place. */
  Section open(String name, Path at, int atLine) {
    Section section = open(name);
    if (section.file == null) {
      section.file = at;
      section.line = atLine;
    }
    return section;
  }

  /** The file the section was first opened in, or null for one never written. */
  Path file() {
    return file;
  }

  int line() {
    return line;
  }

  /** The names of the sub-sections written, in no particular order. */
  java.util.Set<String> sectionNames() {
    return java.util.Set.copyOf(sections.keySet());
  }

  /** The sub-section, or null. */
  Section existing(String name) {
    return sections.get(name);
  }

  void set(String name, String value, Path file, int line) {
    values.put(name, new Assignment(value, file, line));
  }

  /** The assignment, or null. */
  Assignment value(String name) {
    return values.get(name);
  }

  /** {@code name : a, b.c { }} adds a and b.c; a reopened section adds to its references. */
  void addReference(String name) {
    if (!references.contains(name)) {
      references.add(name);
    }
  }

  List<String> references() {
    return references;
  }
}
