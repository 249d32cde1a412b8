package org.tunnelwatch.ipsec.swanctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A section of a VICI message as printed by {@code swanctl --raw}: key/values, lists and
 * sub-sections.
 */
record RawSection(
    Map<String, String> values, Map<String, List<String>> lists, Map<String, RawSection> sections) {

  RawSection {
    values = new LinkedHashMap<>(values);
    lists = new LinkedHashMap<>(lists);
    sections = new LinkedHashMap<>(sections);
  }

  Optional<String> value(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A counter or id; absent or malformed numbers are 0, since they only feed metrics. */
  long number(String key) {
    String text = values.get(key);
    if (text == null) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A number that may be absent (charon leaves out {@code use-in} before the first packet). */
  OptionalLong optionalNumber(String key) {
    String text = values.get(key);
    if (text == null || !text.matches("\\d{1,18}")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(text));
  }

  RawSection section(String key) {
    return sections.getOrDefault(key, new RawSection(Map.of(), Map.of(), Map.of()));
  }
}
