package org.tunnelwatch.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tunnel keys as written in one place: a tunnel, {@code defaults}, or what discovery found.
 * A key that was written with an invalid value (reported already) has no value but counts as
 * {@linkplain #wrote written}. A tunnel's effective value for a key is its own, else the
 * defaults', else the built-in default.
 */
final class TunnelFields {

  static final TunnelFields NONE = new TunnelFields(Map.of(), Set.of());

  private final Map<TunnelKey<?>, Located<?>> values;
  private final Set<TunnelKey<?>> written;

  private TunnelFields(Map<TunnelKey<?>, Located<?>> values, Set<TunnelKey<?>> written) {
    this.values = Map.copyOf(values);
    this.written = Set.copyOf(written);
  }

  /** The tunnel keys of a mapping whose keys have been checked already. */
  static TunnelFields read(YamlNode.Mapping mapping, String path, ConfigValues reader) {
    Map<TunnelKey<?>, Located<?>> values = new HashMap<>();
    Set<TunnelKey<?>> written = new HashSet<>();
    for (TunnelKey<?> key : TunnelKeys.ALL) {
      YamlNode.Entry entry = mapping.entries().get(key.name());
      if (entry == null) {
        continue;
      }
      written.add(key);
      String keyPath = Paths.child(path, key.name());
      key.reader()
          .read(reader, entry.value(), keyPath)
          .ifPresent(v -> values.put(key, new Located<>(v, entry.value().location(), keyPath)));
    }
    return new TunnelFields(values, written);
  }

  /** These fields with {@code key} written as {@code value}. */
  <T> TunnelFields with(TunnelKey<T> key, Located<T> value) {
    Map<TunnelKey<?>, Located<?>> more = new HashMap<>(values);
    more.put(key, value);
    Set<TunnelKey<?>> wrote = new HashSet<>(written);
    wrote.add(key);
    return new TunnelFields(more, wrote);
  }

  /** These fields where written validly, else {@code fallback}'s. */
  TunnelFields orElse(TunnelFields fallback) {
    Map<TunnelKey<?>, Located<?>> merged = new HashMap<>(fallback.values);
    merged.putAll(values);
    Set<TunnelKey<?>> wrote = new HashSet<>(fallback.written);
    wrote.addAll(written);
    return new TunnelFields(merged, wrote);
  }

  /** The valid value of {@code key} with where it was written, if there is one. */
  @SuppressWarnings("unchecked") // values are stored under the key that read them
  <T> Optional<Located<T>> get(TunnelKey<T> key) {
    return Optional.ofNullable((Located<T>) values.get(key));
  }

  /** Whether {@code key} was written, valid or not. */
  boolean wrote(TunnelKey<?> key) {
    return written.contains(key);
  }

  /** Whether {@code key} was written with a value that was refused. */
  boolean refused(TunnelKey<?> key) {
    return written.contains(key) && !values.containsKey(key);
  }

  /** Applies every valid setting to {@code settings}. */
  void applyTo(TunnelSettings.Builder settings) {
    values.forEach((key, located) -> key.applyTo(settings, located.value()));
  }
}
