package org.tunnelwatch.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a web config file in the exporter-toolkit format. Unknown keys are errors, as in the
 * toolkit; toolkit settings tunnelwatch does not implement are errors that say so, rather than
 * being ignored and leaving an operator believing they apply. Relative paths are relative to the
 * web config file, as in the toolkit.
 */
public final class WebConfigLoader {

  private static final Set<String> TOP = Set.of("tls_server_config", "basic_auth_users", "http_server_config");
  private static final Set<String> TLS =
      Set.of(
          "cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version", "max_version",
          "cipher_suites", "curve_preferences", "prefer_server_cipher_suites", "client_allowed_sans", "cert",
          "key", "client_ca");
  private static final Set<String> TLS_UNSUPPORTED =
      Set.of("max_version", "cipher_suites", "curve_preferences", "prefer_server_cipher_suites", "client_allowed_sans", "cert", "key", "client_ca");
  private static final Map<String, String> TLS_VERSIONS =
      Map.of("TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
  /** bcrypt hashes as htpasswd and the toolkit's docs make them. */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

  public WebConfig load(Path file) throws InvalidConfigException {
    String name = file.toString();
    byte[] bytes = ConfigFileBytes.read(file);
    return parse(name, bytes, file.toAbsolutePath().getParent());
  }

  /** Validates a web config file's bytes; relative paths in it are relative to {@code base}. */
  WebConfig parse(String name, byte[] bytes, Path base) throws InvalidConfigException {
    Problems problems = new Problems(name);
    YamlNode root = ConfigText.decode(bytes, problems).map(text -> new YamlTreeReader(problems).read(text)).orElse(null);
    WebConfig config = root == null ? null : bind(root, base, new NodeReader(problems));
    if (!problems.isEmpty() || config == null) {
      throw new InvalidConfigException(problems.sorted());
    }
    return config;
  }

  private WebConfig bind(YamlNode root, Path base, NodeReader read) {
    Optional<YamlNode.Mapping> top = read.mapping(root, "", TOP);
    if (top.isEmpty()) {
      return null;
    }
    Map<String, YamlNode.Entry> keys = top.get().entries();
    if (keys.containsKey("http_server_config")) {
      read.problem(keys.get("http_server_config").value(), "http_server_config", "is an exporter-toolkit setting tunnelwatch does not support");
    }
    Optional<WebConfig.Tls> tls = Optional.empty();
    if (keys.containsKey("tls_server_config")) {
      tls = tls(keys.get("tls_server_config").value(), base, read);
      if (tls.isEmpty()) {
        return null;
      }
    }
    Map<String, String> users = new LinkedHashMap<>();
    YamlNode.Entry auth = keys.get("basic_auth_users");
    if (auth != null) {
      if (!(auth.value() instanceof YamlNode.Mapping mapping)) {
        read.problem(auth.value(), "basic_auth_users", "must be a mapping of user names to bcrypt hashes, found " + auth.value().kind());
        return null;
      }
      for (YamlNode.Entry user : mapping.entries().values()) {
        String path = "basic_auth_users." + user.key();
        read.string(user.value(), path).ifPresent(hash -> {
          if (BCRYPT.matcher(hash).matches()) {
            users.put(user.key(), hash);
          } else {
            read.problem(user.value(), path, "must be a bcrypt hash ($2y$10$…, as made by htpasswd -nBC 10), found something else");
          }
        });
      }
    }
    return new WebConfig(tls, users);
  }

  private Optional<WebConfig.Tls> tls(YamlNode node, Path base, NodeReader read) {
    Optional<YamlNode.Mapping> mapping = read.mapping(node, "tls_server_config", TLS);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlNode.Entry> keys = mapping.get().entries();
    boolean valid = true;
    for (String key : keys.keySet()) {
      if (TLS_UNSUPPORTED.contains(key)) {
        read.problem(keys.get(key).value(), "tls_server_config." + key, "is an exporter-toolkit setting tunnelwatch does not support");
        valid = false;
      }
    }
    Optional<Path> cert = file(mapping.get(), "cert_file", base, read, true);
    Optional<Path> key = file(mapping.get(), "key_file", base, read, true);
    Optional<Path> ca = file(mapping.get(), "client_ca_file", base, read, false);
    WebConfig.ClientAuth clientAuth = WebConfig.ClientAuth.NO_CLIENT_CERT;
    if (keys.containsKey("client_auth_type")) {
      YamlNode value = keys.get("client_auth_type").value();
      Optional<String> text = read.string(value, "tls_server_config.client_auth_type");
      Optional<WebConfig.ClientAuth> parsed =
          text.flatMap(t -> Arrays.stream(WebConfig.ClientAuth.values()).filter(c -> c.configName().equals(t)).findFirst());
      if (text.isPresent() && parsed.isEmpty()) {
        read.problem(value, "tls_server_config.client_auth_type",
            "must be NoClientCert, RequestClientCert or RequireAndVerifyClientCert, found \"" + text.get() + "\"");
      }
      valid &= parsed.isPresent();
      clientAuth = parsed.orElse(clientAuth);
    }
    if (clientAuth == WebConfig.ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT && ca.isEmpty()) {
      read.problem(mapping.get(), "tls_server_config.client_ca_file", "required when client_auth_type is RequireAndVerifyClientCert");
      valid = false;
    }
    String minVersion = "TLSv1.2";
    if (keys.containsKey("min_version")) {
      YamlNode value = keys.get("min_version").value();
      Optional<String> text = read.string(value, "tls_server_config.min_version");
      if (text.isPresent() && !TLS_VERSIONS.containsKey(text.get())) {
        read.problem(value, "tls_server_config.min_version", "must be TLS12 or TLS13, found \"" + text.get() + "\"");
      }
      valid &= text.isPresent() && TLS_VERSIONS.containsKey(text.get());
      minVersion = text.map(TLS_VERSIONS::get).orElse(minVersion);
    }
    if (!valid || cert.isEmpty() || key.isEmpty() || (keys.containsKey("client_ca_file") && ca.isEmpty())) {
      return Optional.empty();
    }
    WebConfig.ClientAuth auth = clientAuth;
    String min = minVersion;
    return material(keys, cert.get(), key.get(), ca, read)
        .map(material -> new WebConfig.Tls(cert.get(), key.get(), ca, auth, min, material));
  }

  /**
   * Reads and checks the TLS files now, so that {@code check-config} and a reload catch what
   * would otherwise fail every handshake; each problem is reported at the key naming the file.
   */
  private Optional<TlsMaterial> material(
      Map<String, YamlNode.Entry> keys, Path certFile, Path keyFile, Optional<Path> caFile, NodeReader read) {
    Optional<List<X509Certificate>> chain = pem(keys.get("cert_file"), "cert_file", read, () -> PemFiles.certificates(certFile));
    Optional<PrivateKey> key = pem(keys.get("key_file"), "key_file", read, () -> PemFiles.privateKey(keyFile));
    Optional<List<X509Certificate>> cas =
        caFile.isEmpty()
            ? Optional.of(List.of())
            : pem(keys.get("client_ca_file"), "client_ca_file", read, () -> PemFiles.certificates(caFile.get()));
    if (chain.isEmpty() || key.isEmpty() || cas.isEmpty()) {
      return Optional.empty();
    }
    return pem(keys.get("key_file"), "key_file", read, () -> TlsMaterial.of(certFile, chain.get(), keyFile, key.get(), cas.get()));
  }

  private interface PemRead<T> {
    T read() throws IOException, GeneralSecurityException;
  }

  private static <T> Optional<T> pem(YamlNode.Entry entry, String key, NodeReader read, PemRead<T> reading) {
    try {
      return Optional.of(reading.read());
    } catch (GeneralSecurityException e) {
      read.problem(entry.value(), "tls_server_config." + key, e.getMessage());
    } catch (IOException e) {
      read.problem(entry.value(), "tls_server_config." + key, "cannot read: " + e.getMessage());
    }
    return Optional.empty();
  }

  private Optional<Path> file(YamlNode.Mapping section, String key, Path base, NodeReader read, boolean required) {
    String path = "tls_server_config." + key;
    YamlNode.Entry entry = section.entries().get(key);
    if (entry == null) {
      if (required) {
        read.problem(section, path, "required");
      }
      return Optional.empty();
    }
    Optional<Path> file = read.nonEmptyString(entry.value(), path).map(base::resolve);
    if (file.isPresent() && !Files.isReadable(file.get())) {
      read.problem(entry.value(), path, "cannot read " + file.get());
      return Optional.empty();
    }
    return file;
  }
}
