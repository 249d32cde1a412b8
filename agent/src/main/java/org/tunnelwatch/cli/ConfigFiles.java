package org.tunnelwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.ConfigProblem;
import org.tunnelwatch.config.InvalidConfigException;
import org.tunnelwatch.discovery.HostTunnelDiscovery;

/** Loads a configuration for a command, printing its problems one per line when it is invalid. */
final class ConfigFiles {

  private ConfigFiles() {}

  static Optional<AgentConfig> load(Path file, ConfigOverrides overrides, PrintWriter err) {
    try {
      // tunnels: auto discovers on this host, at every load.
      return Optional.of(new ConfigLoader(new HostTunnelDiscovery(), overrides).load(file));
    } catch (InvalidConfigException e) {
      for (ConfigProblem problem : e.problems()) {
        err.println(problem);
      }
      err.flush();
      return Optional.empty();
    }
  }
}
