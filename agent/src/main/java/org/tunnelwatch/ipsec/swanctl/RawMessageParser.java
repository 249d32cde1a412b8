package org.tunnelwatch.ipsec.swanctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one line of {@code swanctl --raw} output, such as {@code list-sa event {NAME {key=value
 * list=[a b] sub {…}}}}. The format prints VICI messages without quoting, so a value with spaces
 * cannot be told from several entries; the fields the agent reads (names, states, counters) have
 * none, and anything unexpected is skipped rather than trusted.
 */
final class RawMessageParser {

  private final String text;
  private int pos;

  private RawMessageParser(String text) {
    this.text = text;
  }

  /** A parsed line: the words before the first brace (e.g. {@code list-sa event}) and the body. */
  record Message(String header, RawSection body) {}

  static Message parse(String line) throws RawFormatException {
    int open = line.indexOf('{');
    if (open < 0) {
      throw new RawFormatException("no '{' in line: " + abbreviate(line));
    }
    RawMessageParser parser = new RawMessageParser(line);
    parser.pos = open + 1;
    RawSection body = parser.section();
    return new Message(line.substring(0, open).strip(), body);
  }

  private RawSection section() throws RawFormatException {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, List<String>> lists = new LinkedHashMap<>();
    Map<String, RawSection> sections = new LinkedHashMap<>();
    while (true) {
      skipSpaces();
      if (pos >= text.length()) {
        throw new RawFormatException("line ends inside a section: " + abbreviate(text));
      }
      if (text.charAt(pos) == '}') {
        pos++;
        return new RawSection(values, lists, sections);
      }
      String name = word();
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) == '{') {
        pos++;
        sections.put(name, section());
      } else if (pos < text.length() && text.charAt(pos) == '=') {
        pos++;
        if (pos < text.length() && text.charAt(pos) == '[') {
          lists.put(name, list());
        } else {
          values.put(name, value());
        }
      }
      // A bare word: part of a value that contained a space. Skipped.
    }
  }

  private List<String> list() throws RawFormatException {
    int close = text.indexOf(']', pos);
    if (close < 0) {
      throw new RawFormatException("unterminated list: " + abbreviate(text));
    }
    String inside = text.substring(pos + 1, close).strip();
    pos = close + 1;
    return inside.isEmpty() ? List.of() : new ArrayList<>(List.of(inside.split("\\s+")));
  }

  private String word() throws RawFormatException {
    int start = pos;
    while (pos < text.length() && " ={}".indexOf(text.charAt(pos)) < 0) {
      pos++;
    }
    if (start == pos && pos < text.length() && text.charAt(pos) != '}') {
      // A stray '=' or '{' where a word should be; step over it so that parsing always advances.
      pos++;
      throw new RawFormatException("unexpected '" + text.charAt(pos - 1) + "' at column " + pos + ": " + abbreviate(text));
    }
    return text.substring(start, pos);
  }

  /** A value runs to the next space or closing brace; it may contain '=' (as in C=CH). */
  private String value() {
    int start = pos;
    while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != '}') {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private static String abbreviate(String line) {
    return line.length() > 120 ? line.substring(0, 120) + "…" : line;
  }
}
