package org.tunnelwatch.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One of a closed set of words a configuration key accepts: an enum constant, spelled as its name
 * in lower case with '-' for '_' ({@code PING_SOCKET} is {@code ping-socket}) unless it says
 * otherwise.
 */
public interface ConfigWord {

  /** The enum constant's name. */
  String name();

  /** The word as written in the configuration file. */
  default String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant of {@code type} spelled {@code word}, if any. */
  static <E extends Enum<E> & ConfigWord> Optional<E> find(Class<E> type, String word) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.configName().equals(word)).findFirst();
  }
}
