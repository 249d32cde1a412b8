package org.tunnelwatch.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node remembers where it was written, so that a problem
 * found while binding can be reported at the right line and column. Jackson parses the text;
 * this tree only keeps what Jackson's own tree model forgets.
 */
sealed interface YamlNode {

  SourceLocation location();

  /** A word for error messages: "a mapping", "a list", "a number"... */
  String kind();

  /** A mapping. Keys keep their order and their own locations. */
  record Mapping(Map<String, Entry> entries, SourceLocation location) implements YamlNode {
    public Mapping {
      entries = new LinkedHashMap<>(entries);
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** One key of a mapping with its value. */
  record Entry(String key, SourceLocation keyLocation, YamlNode value) {}

  /** A sequence. */
  record Sequence(List<YamlNode> items, SourceLocation location) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A scalar, kept as its text together with the type YAML gave it. */
  record Scalar(String text, ScalarType type, SourceLocation location) implements YamlNode {
    @Override
    public String kind() {
      return switch (type) {
        // "key:" with nothing after it reaches us as an empty plain string.
        case STRING -> text.isEmpty() ? "nothing" : "a string";
        case INTEGER, DECIMAL -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "nothing";
      };
    }

    /** The text for messages: strings quoted, so that an empty one is still visible. */
    String shown() {
      return type == ScalarType.STRING ? '"' + text + '"' : text;
    }
  }

  enum ScalarType {
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL
  }
}
