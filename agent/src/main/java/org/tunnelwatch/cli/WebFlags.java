package org.tunnelwatch.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.tunnelwatch.config.ConfigOverrides;
import picocli.CommandLine.Option;

/** The exporters' web flags of {@code run}, each in place of a key of the configuration file. */
final class WebFlags {

  @Option(
      names = "--web.listen-address",
      paramLabel = "HOST:PORT",
      description = "where the HTTP endpoints listen, in place of the file's listen key")
  String listenAddress;

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      description = "TLS and basic auth for the HTTP endpoints (Prometheus web config), in place of the file's web-config key")
  Path webConfigFile;

  ConfigOverrides overrides() {
    return new ConfigOverrides(
        Optional.ofNullable(listenAddress), Optional.ofNullable(webConfigFile).map(Path::toAbsolutePath));
  }
}
