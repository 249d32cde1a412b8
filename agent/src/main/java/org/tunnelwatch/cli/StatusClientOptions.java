package org.tunnelwatch.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.tunnelwatch.config.ClientConfig;
import org.tunnelwatch.config.ClientConfigLoader;
import org.tunnelwatch.config.InvalidConfigException;
import picocli.CommandLine.Option;

/**
 * How {@code status} reaches an agent behind TLS and basic auth: a file of Prometheus' HTTP client
 * settings ({@code --web.config.file}), and flags that take the place of its keys.
 */
final class StatusClientOptions {

  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      description = "the client's TLS and basic auth: tls_config (ca_file, cert_file, key_file) and basic_auth (username, password_file), as in a Prometheus scrape config")
  Path configFile;

  @Option(names = "--tls.ca-file", paramLabel = "FILE", description = "CA certificates (PEM) to trust for the agent's certificate")
  Path caFile;

  @Option(names = "--tls.cert-file", paramLabel = "FILE", description = "client certificate (PEM), with --tls.key-file")
  Path certFile;

  @Option(names = "--tls.key-file", paramLabel = "FILE", description = "the client certificate's key (PEM)")
  Path keyFile;

  @Option(names = "--basic-auth.username", paramLabel = "USER", description = "basic auth user name")
  String username;

  @Option(names = "--basic-auth.password-file", paramLabel = "FILE", description = "a file holding the basic auth password")
  Path passwordFile;

  /** The file's settings with the flags' in their place. */
  ClientConfig settings() throws InvalidConfigException {
    ClientConfig file = configFile == null ? ClientConfig.NONE : new ClientConfigLoader().load(configFile);
    return file.overriddenBy(
        new ClientConfig(
            Optional.ofNullable(caFile),
            Optional.ofNullable(certFile),
            Optional.ofNullable(keyFile),
            Optional.ofNullable(username),
            Optional.ofNullable(passwordFile)));
  }
}
