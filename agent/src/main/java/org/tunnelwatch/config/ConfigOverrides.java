package org.tunnelwatch.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Values given on the command line that take the place of the file's keys, as the Prometheus
 * exporters' {@code --web.listen-address} and {@code --web.config.file} do. They apply at every
 * load, reloads included, so that a SIGHUP does not quietly go back to the file's values.
 *
 * @param listen {@code --web.listen-address}, in place of {@code listen}
 * @param webConfigFile {@code --web.config.file}, in place of {@code web-config}
 */
public record ConfigOverrides(Optional<String> listen, Optional<Path> webConfigFile) {

  public static final ConfigOverrides NONE = new ConfigOverrides(Optional.empty(), Optional.empty());

  /** What problems with {@link #listen} are reported under. */
  public static final String LISTEN_FLAG = "--web.listen-address";
}
