package org.tunnelwatch.telemetry.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfig;
import org.tunnelwatch.config.WebConfigLoader;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.StatusReport;

/**
 * The endpoints behind an exporter-toolkit web config: real TLS with keys made by openssl, real
 * bcrypt hashes, real HTTPS requests on loopback.
 */
class SecuredEndpointsTest {

  @TempDir Path dir;

  private void openssl(String... args) throws Exception {
    Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/openssl")) ? List.of() : List.of("/usr/bin/openssl (Debian package openssl)"));
    List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  /** A self-signed certificate for 127.0.0.1 with its key in the given PEM flavour. */
  private void makeCertificate(String keyFlavour) throws Exception {
    switch (keyFlavour) {
      case "pkcs8-rsa" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
      case "pkcs1-rsa" -> openssl("genrsa", "-traditional", "-out", "key.pem", "2048");
      case "pkcs8-ec" -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
      default -> throw new IllegalArgumentException(keyFlavour);
    }
    openssl("req", "-new", "-x509", "-key", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1");
  }

  private WebConfig webConfig(String user, String password) throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, password.toCharArray());
    Path file = dir.resolve("web.yml");
    Files.writeString(file, """
        tls_server_config:
          cert_file: cert.pem
          key_file: key.pem
        basic_auth_users:
          %s: %s
        """.formatted(user, hash));
    return new WebConfigLoader().load(file);
  }

  private HttpClient trustingClient() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = new FileInputStream(dir.resolve("cert.pem").toFile())) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).build();
  }

  private static HttpRequest get(int port, String auth) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics"));
    if (auth != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  @ParameterizedTest(name = "key as {0}")
  @ValueSource(strings = {"pkcs8-rsa", "pkcs1-rsa", "pkcs8-ec"})
  void metricsNeedTlsAndTheRightPassword(String keyFlavour) throws Exception {
    makeCertificate(keyFlavour);
    WebConfig web = webConfig("prometheus", "s3cret");
    try (AgentHttpServer server =
        AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), web, new PrometheusRegistry(), () -> new StatusReport("1", false, List.of()))) {
      HttpClient client = trustingClient();
      assertThat(client.send(get(server.port(), null), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(client.send(get(server.port(), "prometheus:wrong"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(client.send(get(server.port(), "nobody:s3cret"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      for (int i = 0; i < 3; i++) { // the second and third are answered from the verified cache
        assertThat(client.send(get(server.port(), "prometheus:s3cret"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      }
      HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build();
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
  }

  @Test
  void anEncryptedKeyIsRefusedWithAMessageThatSaysSo() throws Exception {
    makeCertificate("pkcs8-rsa");
    openssl("pkcs8", "-topk8", "-in", "key.pem", "-out", "enc.pem", "-passout", "pass:x");
    Files.move(dir.resolve("enc.pem"), dir.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    WebConfig web = webConfig("p", "q");
    assertThatThrownBy(() ->
            AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), web, new PrometheusRegistry(), () -> null))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("key.pem: the key is encrypted; the agent needs it unencrypted");
  }
}
