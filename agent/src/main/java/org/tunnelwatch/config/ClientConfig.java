package org.tunnelwatch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;

/**
 * How {@code tunnelwatch status} reaches an agent behind TLS and basic auth: Prometheus' HTTP
 * client settings ({@code tls_config}, {@code basic_auth}), from a file or from flags.
 *
 * @param caFile CA certificates to trust instead of the JVM's ({@code tls_config.ca_file})
 * @param certFile client certificate ({@code tls_config.cert_file}), with {@code keyFile}
 * @param keyFile its key, PEM as the agent reads its own
 * @param username basic auth user ({@code basic_auth.username})
 * @param passwordFile a file holding the password ({@code basic_auth.password_file}); one
 *     trailing newline is not part of it
 */
public record ClientConfig(
    Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, Optional<String> username, Optional<Path> passwordFile) {

  public static final ClientConfig NONE = new ClientConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** This, with each setting {@code flags} has in place of this one's. */
  public ClientConfig overriddenBy(ClientConfig flags) {
    return new ClientConfig(
        flags.caFile.or(() -> caFile),
        flags.certFile.or(() -> certFile),
        flags.keyFile.or(() -> keyFile),
        flags.username.or(() -> username),
        flags.passwordFile.or(() -> passwordFile));
  }

  /** The TLS context for these settings; the JVM's default trust without a CA file or client certificate. */
  public SSLContext sslContext() throws IOException, GeneralSecurityException {
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new GeneralSecurityException("a client certificate needs both its certificate and its key file");
    }
    if (caFile.isEmpty() && certFile.isEmpty()) {
      return SSLContext.getDefault();
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile.isPresent()) {
      KeyStore cas = emptyStore();
      List<X509Certificate> certificates = PemFiles.certificates(caFile.get());
      for (int i = 0; i < certificates.size(); i++) {
        cas.setCertificateEntry("ca" + i, certificates.get(i));
      }
      trust.init(cas);
    } else {
      trust.init((KeyStore) null);
    }
    KeyManagerFactory keys = null;
    if (certFile.isPresent()) {
      List<X509Certificate> chain = PemFiles.certificates(certFile.get());
      PrivateKey key = PemFiles.privateKey(keyFile.get());
      KeyStore store = emptyStore();
      store.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  /** The {@code Authorization} header's value, if a user is set. */
  public Optional<String> authorization() throws IOException, GeneralSecurityException {
    if (username.isEmpty()) {
      if (passwordFile.isPresent()) {
        throw new GeneralSecurityException("a password file needs a user name (basic_auth.username)");
      }
      return Optional.empty();
    }
    String password = "";
    if (passwordFile.isPresent()) {
      try {
        password = new String(BoundedFiles.read(passwordFile.get(), InputLimits.PEM_FILE_BYTES), StandardCharsets.UTF_8);
      } catch (RefusedInputException e) {
        throw new GeneralSecurityException(passwordFile.get() + ": " + e.getMessage());
      }
      password = password.endsWith("\r\n") ? password.substring(0, password.length() - 2)
          : password.endsWith("\n") ? password.substring(0, password.length() - 1) : password;
    }
    String credentials = username.get() + ":" + password;
    return Optional.of("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }
}
