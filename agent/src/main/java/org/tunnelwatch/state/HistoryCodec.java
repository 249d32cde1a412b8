package org.tunnelwatch.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tunnelwatch.input.InputLimits;

/**
 * The history file's format, JSON with times in ISO-8601 UTC, so that an operator can read it:
 *
 * <pre>
 * {
 *   "version" : 1,
 *   "service-restart" : "2026-11-27T02:10:04.120Z",
 *   "tunnels" : {
 *     "sg1-sgcentral" : {
 *       "last-attempt" : "2026-11-27T02:10:04.120Z",
 *       "actions" : [ "2026-11-27T02:09:31.007Z", "2026-11-27T02:10:04.120Z" ]
 *     }
 *   }
 * }
 * </pre>
 *
 * Decoding is strict: anything unexpected is a {@link HistoryFormatException} naming the place.
 * Pure and thread-safe.
 */
final class HistoryCodec {

  static final int VERSION = 1;

  /**
   * Bounded in tokens and depth: a file of tiny tokens would parse into a tree many times its
   * size ({@link InputLimits#HISTORY_JSON_TOKENS}).
   */
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxTokenCount(InputLimits.HISTORY_JSON_TOKENS).maxNestingDepth(8).build())
              .build());

  private HistoryCodec() {}

  static byte[] encode(RemedyHistory history) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    history.lastServiceRestart().ifPresent(t -> root.put("service-restart", t.toString()));
    ObjectNode tunnels = root.putObject("tunnels");
    history.tunnels().forEach((name, tunnel) -> {
      ObjectNode node = tunnels.putObject(name);
      tunnel.lastAttempt().ifPresent(t -> node.put("last-attempt", t.toString()));
      ArrayNode actions = node.putArray("actions");
      tunnel.actions().forEach(t -> actions.add(t.toString()));
    });
    try {
      return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  static RemedyHistory decode(byte[] bytes) throws HistoryFormatException {
    if (bytes.length == 0) {
      throw new HistoryFormatException("empty file");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new HistoryFormatException("not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode()) {
      throw new HistoryFormatException("not JSON: nothing but blanks");
    }
    if (!root.isObject()) {
      throw new HistoryFormatException("not a JSON object");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != VERSION) {
      throw new HistoryFormatException("version: expected " + VERSION + ", found " + version);
    }
    Optional<Instant> restart = optionalTime(root, "service-restart", "service-restart");
    JsonNode tunnels = root.get("tunnels");
    if (tunnels == null || !tunnels.isObject()) {
      throw new HistoryFormatException("tunnels: expected an object");
    }
    Map<String, RemedyHistory.Tunnel> byName = new LinkedHashMap<>();
    var fields = tunnels.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      String place = "tunnels." + field.getKey();
      JsonNode node = field.getValue();
      if (!node.isObject()) {
        throw new HistoryFormatException(place + ": expected an object");
      }
      JsonNode actions = node.get("actions");
      if (actions == null || !actions.isArray()) {
        throw new HistoryFormatException(place + ".actions: expected a list");
      }
      List<Instant> times = new ArrayList<>();
      for (int i = 0; i < actions.size(); i++) {
        times.add(time(actions.get(i), place + ".actions[" + i + "]"));
      }
      byName.put(field.getKey(), new RemedyHistory.Tunnel(times, optionalTime(node, "last-attempt", place + ".last-attempt")));
    }
    return new RemedyHistory(byName, restart);
  }

  private static Optional<Instant> optionalTime(JsonNode parent, String key, String place) throws HistoryFormatException {
    JsonNode node = parent.get(key);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(time(node, place));
  }

  private static Instant time(JsonNode node, String place) throws HistoryFormatException {
    if (node == null || !node.isTextual()) {
      throw new HistoryFormatException(place + ": expected a time such as \"2026-11-27T02:10:04Z\", found " + node);
    }
    try {
      return Instant.parse(node.textValue());
    } catch (DateTimeParseException e) {
      throw new HistoryFormatException(place + ": not a time: \"" + node.textValue() + "\"");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
