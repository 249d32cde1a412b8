package org.tunnelwatch.discovery;

import java.util.Map;
import java.util.Optional;

/**
 * A conn with {@code also=} and {@code conn %default} applied: every setting that applies to it,
 * each with the line it came from.
 *
 * @param name the conn's name, as the daemon knows it
 * @param location where its {@code conn} line is
 * @param settings by keyword
 * @param template whether another conn pulls it in with {@code also=} (then it is a building
 *     block, not necessarily a tunnel of its own)
 */
record ResolvedConn(String name, Location location, Map<String, ConfSetting> settings, boolean template) {

  ResolvedConn {
    settings = Map.copyOf(settings);
  }

  Optional<ConfSetting> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /** The value, or empty when unset; a setting written as {@code key=} has the value "". */
  Optional<String> value(String key) {
    return setting(key).map(ConfSetting::value);
  }
}
