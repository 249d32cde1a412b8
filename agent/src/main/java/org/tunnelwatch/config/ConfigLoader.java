package org.tunnelwatch.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads and validates a configuration file. Thread-safe if its {@link TunnelDiscovery} is.
 */
public final class ConfigLoader {

  private final TunnelDiscovery discovery;
  private final ConfigOverrides overrides;

  /** A loader for which {@code tunnels: auto} is a problem: it has no discovery. */
  public ConfigLoader() {
    this(TunnelDiscovery.unavailable());
  }

  /** A loader that runs {@code discovery} for {@code tunnels: auto}, at every load. */
  public ConfigLoader(TunnelDiscovery discovery) {
    this(discovery, ConfigOverrides.NONE);
  }

  /** As {@link #ConfigLoader(TunnelDiscovery)}, with command-line values in place of the file's. */
  public ConfigLoader(TunnelDiscovery discovery, ConfigOverrides overrides) {
    this.discovery = discovery;
    this.overrides = overrides;
  }

  /**
   * Loads {@code file}.
   *
   * @throws InvalidConfigException with every problem found, each naming file, line, column and
   *     path; also when the file cannot be read
   */
  public AgentConfig load(Path file) throws InvalidConfigException {
    return parse(file.toString(), ConfigFileBytes.read(file));
  }

  /** Validates a configuration file's bytes, which must be UTF-8. */
  AgentConfig parse(String name, byte[] bytes) throws InvalidConfigException {
    Problems problems = new Problems(name);
    Optional<String> text = ConfigText.decode(bytes, problems);
    if (text.isEmpty()) {
      throw new InvalidConfigException(problems.sorted());
    }
    return parse(name, text.get());
  }

  /** Validates configuration text; {@code name} is what messages call the file. */
  public AgentConfig parse(String name, String text) throws InvalidConfigException {
    Problems problems = new Problems(name);
    YamlNode root = new YamlTreeReader(problems).read(text);
    Optional<AgentConfig> config =
        root == null ? Optional.empty() : new ConfigBinder(problems, discovery, overrides).bind(root);
    if (!problems.isEmpty() || config.isEmpty()) {
      throw new InvalidConfigException(problems.sorted());
    }
    return config.get();
  }
}
