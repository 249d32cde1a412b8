package org.tunnelwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML text into a {@link YamlNode} tree with locations, through Jackson's streaming YAML
 * parser. Duplicate keys are reported rather than silently resolved to the last one. Aliases
 * ({@code *name}) are refused: Jackson's parser would hand over the anchor's name in place of its
 * value, and expanding them is how a small file becomes a huge tree.
 */
final class YamlTreeReader {

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final String NOT_A_KEY = "Expected a field name";
  private static final Pattern ALIAS_EVENT = Pattern.compile("AliasEvent\\(anchor=([^)]*)\\)");
  private static final Pattern NESTING = Pattern.compile("^Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");
  /** "(1000, from `StreamReadConstraints.getMaxNumberLength()`)": the limit, without Jackson's method. */
  private static final Pattern CONSTRAINT_SOURCE = Pattern.compile("\\((\\d+), from `[^`]*`\\)");

  private final Problems problems;

  YamlTreeReader(Problems problems) {
    this.problems = problems;
  }

  /** Returns the document's root, or null (with a problem recorded) if the YAML is malformed. */
  YamlNode read(String text) {
    JsonParser parser;
    try {
      parser = FACTORY.createParser(text);
    } catch (IOException e) {
      problems.add(SourceLocation.UNKNOWN, "", "cannot read: " + e.getMessage());
      return null;
    }
    try (parser) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new YamlNode.Mapping(Map.of(), new SourceLocation(1, 1));
      }
      YamlNode root = readValue(parser, "");
      if (parser.nextToken() != null) {
        problems.add(locationOf(parser), "", "not valid YAML: a configuration file must hold a single document");
        return null;
      }
      return root;
    } catch (StreamConstraintsException e) {
      JsonLocation where = parser.currentLocation();
      problems.add(new SourceLocation(where.getLineNr(), where.getColumnNr()), "", "not valid YAML: " + beyondLimit(e));
      return null;
    } catch (JsonProcessingException e) {
      reportSyntaxError(e, text);
      return null;
    } catch (IOException e) {
      problems.add(SourceLocation.UNKNOWN, "", "cannot read: " + e.getMessage());
      return null;
    }
  }

  private YamlNode readValue(JsonParser parser, String path) throws IOException {
    SourceLocation location = locationOf(parser);
    JsonToken token = parser.currentToken();
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      problems.add(location, path, "the YAML alias *" + parser.getText() + " is not supported; write the value itself");
      // The file is invalid already; a string keeps the rest of the checks from adding noise.
      return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.STRING, location);
    }
    switch (token) {
      case START_OBJECT:
        return readMapping(parser, path, location);
      case START_ARRAY:
        return readSequence(parser, path, location);
      case VALUE_STRING:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.STRING, location);
      case VALUE_NUMBER_INT:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.INTEGER, location);
      case VALUE_NUMBER_FLOAT:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.DECIMAL, location);
      case VALUE_TRUE:
      case VALUE_FALSE:
        // YAML 1.1 also calls yes/no/on/off booleans; a configuration that says "dry-run: yes"
        // is better told to write true than silently read one way or the other.
        String word = parser.getText();
        boolean plain = word.equals("true") || word.equals("false");
        return new YamlNode.Scalar(word, plain ? YamlNode.ScalarType.BOOLEAN : YamlNode.ScalarType.STRING, location);
      case VALUE_NULL:
        return new YamlNode.Scalar("", YamlNode.ScalarType.NULL, location);
      default:
        // Embedded binary and other exotic YAML: not meaningful in this configuration.
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.STRING, location);
    }
  }

  private YamlNode readMapping(JsonParser parser, String path, SourceLocation location)
      throws IOException {
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      SourceLocation keyLocation = locationOf(parser);
      parser.nextToken();
      String childPath = Paths.child(path, key);
      YamlNode value = readValue(parser, childPath);
      YamlNode.Entry earlier = entries.get(key);
      if (earlier != null) {
        problems.add(keyLocation, childPath, "duplicate key (first at line " + earlier.keyLocation().line() + ")");
        continue;
      }
      entries.put(key, new YamlNode.Entry(key, keyLocation, value));
    }
    return new YamlNode.Mapping(entries, location);
  }

  private YamlNode readSequence(JsonParser parser, String path, SourceLocation location)
      throws IOException {
    List<YamlNode> items = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      items.add(readValue(parser, Paths.index(path, items.size())));
    }
    return new YamlNode.Sequence(items, location);
  }

  private static SourceLocation locationOf(JsonParser parser) {
    JsonLocation where = parser.currentTokenLocation();
    return new SourceLocation(where.getLineNr(), where.getColumnNr());
  }

  /**
   * SnakeYAML knows both the context of an error ("while parsing a block collection") and the
   * problem with its own position ("expected <block end>, but found ..."); the problem is what
   * an operator needs. Its reader reports a character YAML does not allow at the position in
   * the text only, and Jackson at 1:1.
   */
  private void reportSyntaxError(JsonProcessingException e, String text) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      problems.add(
          new SourceLocation(mark.getLine() + 1, mark.getColumn() + 1), "", "not valid YAML: " + marked.getProblem());
      return;
    }
    if (e.getCause() instanceof ReaderException reader && reader.getPosition() <= text.codePointCount(0, text.length())) {
      String before = text.substring(0, text.offsetByCodePoints(0, reader.getPosition()));
      problems.add(
          SourceLocation.after(before),
          "",
          String.format("not valid YAML: character U+%04X is not allowed (of the control characters, YAML allows only tab and line breaks)", reader.getCodePoint()));
      return;
    }
    JsonLocation where = e.getLocation();
    SourceLocation location =
        where == null ? SourceLocation.UNKNOWN : new SourceLocation(where.getLineNr(), where.getColumnNr());
    String message = firstLine(e.getOriginalMessage());
    // Something other than a plain value where a key must be: Jackson names SnakeYAML's event.
    Matcher aliasKey = ALIAS_EVENT.matcher(message);
    if (aliasKey.find()) {
      problems.add(location, "", "the YAML alias *" + aliasKey.group(1) + " is not supported; write the key itself");
    } else if (message.startsWith(NOT_A_KEY)) {
      problems.add(location, "", "not valid YAML: a key must be a plain value, not a mapping or a list");
    } else {
      problems.add(location, "", "not valid YAML: " + message);
    }
  }

  /** Jackson's limits (nesting, lengths of names, numbers and strings) in plain words. */
  private static String beyondLimit(StreamConstraintsException e) {
    String message = firstLine(e.getOriginalMessage());
    Matcher nesting = NESTING.matcher(message);
    if (nesting.find()) {
      return "nested more than " + nesting.group(1) + " levels deep";
    }
    return CONSTRAINT_SOURCE.matcher(message).replaceAll("($1)");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
