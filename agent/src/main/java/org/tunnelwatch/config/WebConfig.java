package org.tunnelwatch.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP endpoints' security, from a file in the Prometheus exporter-toolkit format (the one
 * node_exporter reads with {@code --web.config.file}), so that operators reuse what they have.
 *
 * @param tls TLS settings, if the endpoints are served over HTTPS
 * @param users basic-auth users and their bcrypt hashes; empty means no authentication
 */
public record WebConfig(Optional<Tls> tls, Map<String, String> users) {

  public WebConfig {
    users = Map.copyOf(users);
  }

  public static WebConfig none() {
    return new WebConfig(Optional.empty(), Map.of());
  }

  /** Names the users, never their hashes: a bcrypt hash in a log or an error is an offline attack. */
  @Override
  public String toString() {
    return "WebConfig[tls=" + tls + ", users=" + new java.util.TreeSet<>(users.keySet()) + "]";
  }

  /**
   * {@code tls_server_config}.
   *
   * @param certFile PEM certificate (chain)
   * @param keyFile PEM private key (PKCS#8, or PKCS#1 for RSA)
   * @param clientCaFile PEM CA bundle for client certificates, if any
   * @param clientAuth how client certificates are asked for
   * @param minVersion the lowest TLS version accepted, e.g. {@code TLSv1.2}
   * @param material what those files held when they were read and checked
   */
  public record Tls(
      Path certFile, Path keyFile, Optional<Path> clientCaFile, ClientAuth clientAuth, String minVersion, TlsMaterial material) {}

  /** What an operator should hear about though this config works (see {@link TlsMaterial#warnings}). */
  public List<String> warnings(Instant now) {
    return tls.map(t -> t.material().warnings(now)).orElse(List.of());
  }

  /** The exporter-toolkit's {@code client_auth_type} values that tunnelwatch supports. */
  public enum ClientAuth {
    NO_CLIENT_CERT("NoClientCert"),
    REQUEST_CLIENT_CERT("RequestClientCert"),
    REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert");

    private final String configName;

    ClientAuth(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }
}
