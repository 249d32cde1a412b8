package org.tunnelwatch.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the client settings of {@code tunnelwatch status --web.config.file}: Prometheus' HTTP
 * client keys, strictly (an unknown key is a problem at its line and column).
 *
 * <pre>
 * tls_config:
 *   ca_file: ca.pem          # relative paths are relative to this file
 *   cert_file: client.pem
 *   key_file: client.key
 * basic_auth:
 *   username: prometheus
 *   password_file: /etc/tunnelwatch/status-password
 * </pre>
 */
public final class ClientConfigLoader {

  private static final Set<String> TOP = Set.of("tls_config", "basic_auth");
  private static final Set<String> TLS = Set.of("ca_file", "cert_file", "key_file");
  private static final Set<String> AUTH = Set.of("username", "password_file");

  public ClientConfig load(Path file) throws InvalidConfigException {
    String name = file.toString();
    byte[] bytes = ConfigFileBytes.read(file);
    Problems problems = new Problems(name);
    Path base = file.toAbsolutePath().getParent();
    NodeReader read = new NodeReader(problems);
    YamlNode root = ConfigText.decode(bytes, problems).map(text -> new YamlTreeReader(problems).read(text)).orElse(null);
    ClientConfig config = root == null ? null : bind(root, base, read);
    if (!problems.isEmpty() || config == null) {
      throw new InvalidConfigException(problems.sorted());
    }
    return config;
  }

  private static ClientConfig bind(YamlNode root, Path base, NodeReader read) {
    Optional<YamlNode.Mapping> top = read.mapping(root, "", TOP);
    if (top.isEmpty()) {
      return null;
    }
    Map<String, YamlNode.Entry> tls = section(top.get(), "tls_config", TLS, read);
    Map<String, YamlNode.Entry> auth = section(top.get(), "basic_auth", AUTH, read);
    return new ClientConfig(
        path(tls, "tls_config.ca_file", "ca_file", base, read),
        path(tls, "tls_config.cert_file", "cert_file", base, read),
        path(tls, "tls_config.key_file", "key_file", base, read),
        Optional.ofNullable(auth.get("username")).flatMap(e -> read.nonEmptyString(e.value(), "basic_auth.username")),
        path(auth, "basic_auth.password_file", "password_file", base, read));
  }

  private static Map<String, YamlNode.Entry> section(YamlNode.Mapping top, String key, Set<String> allowed, NodeReader read) {
    YamlNode.Entry entry = top.entries().get(key);
    return entry == null ? Map.of() : read.mapping(entry.value(), key, allowed).map(YamlNode.Mapping::entries).orElse(Map.of());
  }

  private static Optional<Path> path(Map<String, YamlNode.Entry> keys, String path, String key, Path base, NodeReader read) {
    YamlNode.Entry entry = keys.get(key);
    return entry == null ? Optional.empty() : read.nonEmptyString(entry.value(), path).map(base::resolve);
  }
}
