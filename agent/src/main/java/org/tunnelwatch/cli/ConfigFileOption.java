package org.tunnelwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The configuration file, spelt as the Prometheus exporters spell it ({@code --config.file});
 * {@code -c} and {@code --config} are the older spellings. The default is where the package
 * installs the file, so that {@code tunnelwatch run} works as it is.
 */
final class ConfigFileOption {

  static final String DEFAULT = "/etc/tunnelwatch/tunnelwatch.yml";

  @Option(
      names = {"--config.file", "-c", "--config"},
      paramLabel = "FILE",
      defaultValue = DEFAULT,
      description = "the configuration file (default: ${DEFAULT-VALUE}; -c and --config are older spellings)")
  Path file;
}
