package org.tunnelwatch.state;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;

/**
 * Which member carries each failover group's traffic, kept in {@value #NAME} in the state
 * directory, so that an agent restarted (or reloaded) while on a backup stays there instead of
 * switching back at once. Written atomically after each switch. A file that cannot be read or
 * understood gives one warning and is ignored: the groups then start on their primaries.
 *
 * <p>Thread-safe (every method is synchronized).
 */
public final class ActiveMembersFile {

  static final String NAME = "failover-active.json";
  private static final int VERSION = 1;
  private static final Logger log = LoggerFactory.getLogger(ActiveMembersFile.class);

  /**
   * Made when a file is first read or written: an agent without failover groups, or whose groups
   * never switched, never loads Jackson's databind (some 300 classes, about 1 MB of metaspace).
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Path dir;
  private boolean warnedUnwritable;

  public ActiveMembersFile(Path stateDir) {
    this.dir = stateDir;
  }

  /** The active member by group name, as last saved; empty when there is none or it is unreadable. */
  public synchronized Map<String, String> load() {
    Path file = dir.resolve(NAME);
    byte[] bytes;
    try {
      bytes = BoundedFiles.read(file, InputLimits.FAILOVER_FILE_BYTES);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      log.warn("cannot read {}: {}; the failover groups start on their primaries", file, e.getMessage());
      return Map.of();
    }
    try {
      return decode(bytes);
    } catch (IOException e) {
      log.warn("{} is damaged ({}); the failover groups start on their primaries", file, e.getMessage());
      return Map.of();
    }
  }

  /** Saves the active member of every group; a failure is logged once until a save works again. */
  public synchronized void save(Map<String, String> activeByGroup) {
    try {
      AtomicFiles.write(dir, NAME, encode(activeByGroup));
      if (warnedUnwritable) {
        log.info("the failover groups' active members are saved in {} again", dir);
      }
      warnedUnwritable = false;
    } catch (IOException e) {
      if (!warnedUnwritable) {
        log.warn(
            "cannot save the failover groups' active members in {}: {}; a restart would start them on their primaries",
            dir, HistoryFile.describe(e));
      }
      warnedUnwritable = true;
    }
  }

  static byte[] encode(Map<String, String> activeByGroup) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", VERSION);
    ObjectNode active = root.putObject("active");
    activeByGroup.forEach(active::put);
    return (root.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, String> decode(byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw new IOException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.path("version").isInt() || root.path("version").asInt() != VERSION) {
      throw new IOException("no \"version\": " + VERSION);
    }
    JsonNode active = root.path("active");
    if (!active.isObject()) {
      throw new IOException("\"active\" is not an object");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = active.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IOException("the active member of \"" + e.getKey() + "\" is not a string");
      }
      result.put(e.getKey(), e.getValue().asText());
    }
    return result;
  }
}
