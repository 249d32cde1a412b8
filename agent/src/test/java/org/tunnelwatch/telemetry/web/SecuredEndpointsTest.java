package org.tunnelwatch.telemetry.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.TestTls;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfig;
import org.tunnelwatch.config.WebConfigLoader;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.StatusReport;

/**
 * The endpoints behind an exporter-toolkit web config: real TLS with keys made by openssl, real
 * bcrypt hashes, real HTTPS requests on loopback, and the web config changed under a running
 * server.
 */
class SecuredEndpointsTest {

  @TempDir Path dir;

  private AgentHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestTls tls() {
    return new TestTls(dir);
  }

  /** A self-signed certificate for 127.0.0.1 with its key in the given PEM flavour. */
  private Path makeCertificate(String keyFlavour) throws Exception {
    tls().key("key.pem", keyFlavour);
    return tls().certificate("cert.pem", "key.pem");
  }

  private WebConfig webConfig(String tlsPart, String user, String password) throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, password.toCharArray());
    Path file = dir.resolve("web.yml");
    Files.writeString(file, tlsPart + "basic_auth_users:\n  %s: %s\n".formatted(user, hash));
    return new WebConfigLoader().load(file);
  }

  private static final String TLS = "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n";

  private AgentHttpServer start(int port, WebConfig web) throws IOException {
    server = AgentHttpServer.start(new ListenAddress("127.0.0.1", port), web, new PrometheusRegistry(), () -> new StatusReport("1", false, List.of()));
    return server;
  }

  private HttpClient trustingClient() throws Exception {
    return HttpClient.newBuilder().sslContext(TestTls.trusting(dir.resolve("cert.pem"))).build();
  }

  private static HttpRequest get(String scheme, int port, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/metrics"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static int status(HttpClient client, HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @ParameterizedTest(name = "key as {0}")
  @ValueSource(strings = {"pkcs8-rsa", "pkcs1-rsa", "pkcs8-ec", "sec1-ec", "ed25519"})
  void metricsNeedTlsAndTheRightPassword(String keyFlavour) throws Exception {
    makeCertificate(keyFlavour);
    start(0, webConfig(TLS, "prometheus", "s3cret"));
    HttpClient client = trustingClient();
    int port = server.port();

    assertThat(status(client, get("https", port, null))).isEqualTo(401);
    assertThat(status(client, get("https", port, basic("prometheus:wrong")))).isEqualTo(401);
    assertThat(status(client, get("https", port, basic("nobody:s3cret")))).isEqualTo(401);
    for (int i = 0; i < 3; i++) { // the second and third are answered from the verified cache
      assertThat(status(client, get("https", port, basic("prometheus:s3cret")))).isEqualTo(200);
    }
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(get("http", port, null), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void requireAndVerifyClientCertAdmitsOnlyClientsSignedByTheClientCa() throws Exception {
    makeCertificate("pkcs8-ec");
    tls().key("client.key", "pkcs8-ec");
    tls().openssl("req", "-new", "-x509", "-key", "client.key", "-out", "client.pem", "-days", "2", "-subj", "/CN=prometheus");
    tls().openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12", "-passout", "pass:x");
    Files.writeString(dir.resolve("web.yml"),
        TLS + "  client_ca_file: client.pem\n  client_auth_type: RequireAndVerifyClientCert\n");
    start(0, new WebConfigLoader().load(dir.resolve("web.yml")));
    KeyStore clientKeys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(dir.resolve("client.p12"))) {
      clientKeys.load(in, "x".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(clientKeys, "x".toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", TestTls.read(dir.resolve("cert.pem")));
    tmf.init(trust);
    SSLContext withCert = SSLContext.getInstance("TLS");
    withCert.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    assertThat(status(HttpClient.newBuilder().sslContext(withCert).build(), get("https", server.port(), null))).isEqualTo(200);
    assertThatThrownBy(() -> status(trustingClient(), get("https", server.port(), null))).isInstanceOf(IOException.class);
  }

  @Nested
  class BasicAuth {

    private HttpClient client;
    private int port;

    private void startPlain() throws Exception {
      start(0, webConfig("", "prometheus", "s3cret"));
      client = HttpClient.newHttpClient();
      port = server.port();
    }

    @Test
    void theSchemeIsMatchedWithoutRegardToCase() throws Exception {
      startPlain();
      String credentials = Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8));

      assertThat(status(client, get("http", port, "basic " + credentials))).isEqualTo(200);
      assertThat(status(client, get("http", port, "BASIC " + credentials))).isEqualTo(200);
    }

    @Test
    void undecodableCredentialsGetA401WithAChallenge() throws Exception {
      startPlain();
      for (String header : List.of("Basic %%%not-base64%%%", "Basic", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()),
          "Bearer abc", "Basic  ", basic("prometheus:s3cret") + "===")) {
        HttpResponse<String> response = client.send(get("http", port, header), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(header).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(header).contains("Basic realm=\"tunnelwatch\", charset=\"UTF-8\"");
      }
      assertThat(status(client, get("http", port, basic("prometheus:s3cret")))).isEqualTo(200);
    }

    @Test
    void aPasswordLongerThanBcryptTakesIsRefusedNotDropped() throws Exception {
      startPlain();

      assertThat(status(client, get("http", port, basic("prometheus:" + "x".repeat(200))))).isEqualTo(401);
      assertThat(status(client, get("http", port, basic("nobody:" + "x".repeat(200))))).isEqualTo(401);
    }
  }

  @Nested
  class ReloadInPlace {

    private long openFds() throws IOException {
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        return fds.count();
      }
    }

    @Test
    void aCertificateReplacedAtTheSamePathIsServedAfterApplyOnTheSamePort() throws Exception {
      Path cert = makeCertificate("pkcs8-ec");
      start(0, webConfig(TLS, "prometheus", "s3cret"));
      int port = server.port();
      BigInteger before = TestTls.read(cert).getSerialNumber();
      assertThat(TestTls.servedSerial(port)).isEqualTo(before);

      makeCertificate("pkcs8-rsa"); // new key and certificate, same paths
      assertThat(TestTls.read(cert).getSerialNumber()).isNotEqualTo(before);
      boolean rebound = server.apply(new ListenAddress("127.0.0.1", 0), webConfig(TLS, "prometheus", "s3cret"));

      assertThat(rebound).isFalse();
      assertThat(server.port()).isEqualTo(port);
      assertThat(TestTls.servedSerial(port)).isEqualTo(TestTls.read(cert).getSerialNumber());
      assertThat(status(trustingClient(), get("https", port, basic("prometheus:s3cret")))).isEqualTo(200);
    }

    @Test
    void newUsersApplyInPlace() throws Exception {
      start(0, webConfig("", "prometheus", "old"));
      int port = server.port();

      server.apply(new ListenAddress("127.0.0.1", 0), webConfig("", "prometheus", "new"));

      HttpClient client = HttpClient.newHttpClient();
      assertThat(status(client, get("http", port, basic("prometheus:old")))).isEqualTo(401);
      assertThat(status(client, get("http", port, basic("prometheus:new")))).isEqualTo(200);
      server.apply(new ListenAddress("127.0.0.1", 0), WebConfig.none());
      assertThat(status(client, get("http", port, null))).isEqualTo(200);
    }

    @Test
    void switchingToHttpsOnTheSameAddressRebindsIt() throws Exception {
      makeCertificate("pkcs8-ec");
      int port = FreePorts.any();
      start(port, WebConfig.none());

      boolean rebound = server.apply(new ListenAddress("127.0.0.1", port), webConfig(TLS, "prometheus", "s3cret"));

      assertThat(rebound).isTrue();
      assertThat(server.port()).isEqualTo(port);
      assertThat(status(trustingClient(), get("https", port, basic("prometheus:s3cret")))).isEqualTo(200);
      server.apply(new ListenAddress("127.0.0.1", port), WebConfig.none());
      assertThat(status(HttpClient.newHttpClient(), get("http", port, null))).isEqualTo(200);
    }

    @Test
    void theSamePortOnAnotherHostIsTakenOver() throws Exception {
      int port = FreePorts.any();
      start(port, WebConfig.none());

      boolean rebound = server.apply(new ListenAddress("", port), WebConfig.none()); // all addresses

      assertThat(rebound).isTrue();
      assertThat(status(HttpClient.newHttpClient(), get("http", port, null))).isEqualTo(200);
    }

    @Test
    void anAddressInUseLeavesTheServerAsItWasAndNoDescriptorBehind() throws Exception {
      start(0, webConfig("", "prometheus", "s3cret"));
      int port = server.port();
      try (ServerSocket taken = new ServerSocket(0)) {
        ListenAddress busy = new ListenAddress("127.0.0.1", taken.getLocalPort());
        assertThatThrownBy(() -> server.apply(busy, WebConfig.none())).isInstanceOf(BindException.class);
        long before = openFds();
        for (int i = 0; i < 20; i++) {
          assertThatThrownBy(() -> server.apply(busy, WebConfig.none())).isInstanceOf(IOException.class);
        }
        assertThat(openFds()).isLessThanOrEqualTo(before + 2);
      }
      assertThat(server.port()).isEqualTo(port);
      assertThat(status(HttpClient.newHttpClient(), get("http", port, null))).isEqualTo(401); // the old users still apply
    }

    @Test
    void connectionsOpenAcrossAnApplyAreServed() throws Exception {
      start(0, WebConfig.none());
      try (Socket open = new Socket("127.0.0.1", server.port())) {
        server.apply(new ListenAddress("127.0.0.1", 0), WebConfig.none());
        open.getOutputStream().write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(open.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      }
    }
  }
}
