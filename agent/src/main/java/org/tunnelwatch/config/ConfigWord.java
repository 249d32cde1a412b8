package org.tunnelwatch.config;

import java.util.Arrays;
import java.util.Optional;

/** One of a closed set of words a configuration key accepts: an enum constant and its spelling. */
public interface ConfigWord {

  /** The word as written in the configuration file. */
  String configName();

  /** The constant of {@code type} spelled {@code word}, if any. */
  static <E extends Enum<E> & ConfigWord> Optional<E> find(Class<E> type, String word) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.configName().equals(word)).findFirst();
  }
}
