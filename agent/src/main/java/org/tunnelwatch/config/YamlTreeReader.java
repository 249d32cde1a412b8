package org.tunnelwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree with locations, through Jackson's streaming YAML
 * parser. Duplicate keys are reported rather than silently resolved to the last one.
 */
final class YamlTreeReader {

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private final Problems problems;

  YamlTreeReader(Problems problems) {
    this.problems = problems;
  }

  /** Returns the document's root, or null (with a problem recorded) if the YAML is malformed. */
  YamlNode read(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
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
    } catch (JsonProcessingException e) {
      reportSyntaxError(e);
      return null;
    } catch (IOException e) {
      problems.add(SourceLocation.UNKNOWN, "", "cannot read: " + e.getMessage());
      return null;
    }
  }

  private YamlNode readValue(JsonParser parser, String path) throws IOException {
    SourceLocation location = locationOf(parser);
    JsonToken token = parser.currentToken();
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
   * an operator needs.
   */
  private void reportSyntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      problems.add(
          new SourceLocation(mark.getLine() + 1, mark.getColumn() + 1), "", "not valid YAML: " + marked.getProblem());
      return;
    }
    JsonLocation where = e.getLocation();
    SourceLocation location =
        where == null ? SourceLocation.UNKNOWN : new SourceLocation(where.getLineNr(), where.getColumnNr());
    problems.add(location, "", "not valid YAML: " + firstLine(e.getOriginalMessage()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
