package org.tunnelwatch.config;

import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One key that a tunnel or {@code defaults} may set: its name, how its value is read and checked,
 * and for a setting, which field of {@link TunnelSettings} it sets. The keys are declared in
 * {@link TunnelKeys}.
 *
 * @param setting applies the value to the settings being built; none for the keys that say which
 *     tunnel it is (ike, child, source, targets, uplink), which {@link TunnelResolver} reads itself
 */
record TunnelKey<T>(String name, Reader<T> reader, Optional<BiConsumer<TunnelSettings.Builder, T>> setting) {

  /** Reads one value; like every read it returns it or records a problem. */
  @FunctionalInterface
  interface Reader<T> {
    Optional<T> read(ConfigValues values, YamlNode node, String path);
  }

  /** Sets this key's value in {@code settings}, if it is a setting. */
  void applyTo(TunnelSettings.Builder settings, Object value) {
    @SuppressWarnings("unchecked") // values are stored under the key that read them
    T typed = (T) value;
    setting.ifPresent(s -> s.accept(settings, typed));
  }
}
