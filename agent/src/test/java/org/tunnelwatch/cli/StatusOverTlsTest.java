package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.TestTls;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.config.WebConfigLoader;
import org.tunnelwatch.telemetry.AgentHttpServer;
import org.tunnelwatch.telemetry.StatusReport;
import org.tunnelwatch.tunnel.TunnelStatus;

/**
 * {@code tunnelwatch status} against the agent's real HTTP server behind TLS (a SEC1 EC key, as
 * openssl ecparam makes it), basic auth with a real bcrypt hash, and a client certificate the
 * server requires: settings from a client file or from flags.
 */
class StatusOverTlsTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private AgentHttpServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    TestTls tls = new TestTls(dir);
    tls.key("key.pem", "sec1-ec");
    tls.certificate("cert.pem", "key.pem");
    tls.key("client.key", "pkcs8-ec");
    tls.openssl("req", "-new", "-x509", "-key", "client.key", "-out", "client.pem", "-days", "2", "-subj", "/CN=status");
    String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
    Files.writeString(dir.resolve("web.yml"), """
        tls_server_config:
          cert_file: cert.pem
          key_file: key.pem
          client_ca_file: client.pem
          client_auth_type: RequireAndVerifyClientCert
        basic_auth_users:
          operator: %s
        """.formatted(hash));
    Files.writeString(dir.resolve("password"), "s3cret\n");
    TunnelStatus up = new TunnelStatus("a", "up", "2026-11-26T12:00:00Z", "ok", 0.0, 0.0012, null, true, "IKE ESTABLISHED", "none", null, false, null);
    server = AgentHttpServer.start(new ListenAddress("127.0.0.1", 0), new WebConfigLoader().load(dir.resolve("web.yml")),
        new PrometheusRegistry(), () -> new StatusReport("1", false, List.of(up)));
    url = "https://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private int status(String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "status";
    args[1] = "--url";
    args[2] = url;
    System.arraycopy(options, 0, args, 3, options.length);
    return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  /** {@code more}, then the flags that trust the server and present the client certificate. */
  private String[] withTlsFlags(String... more) {
    return Stream.concat(Stream.of(more), Stream.of(
            "--tls.ca-file", dir.resolve("cert.pem").toString(),
            "--tls.cert-file", dir.resolve("client.pem").toString(),
            "--tls.key-file", dir.resolve("client.key").toString()))
        .toArray(String[]::new);
  }

  @Test
  void aClientFileInPrometheusStyleGetsThroughTlsClientCertificateAndBasicAuth() throws Exception {
    Files.writeString(dir.resolve("client.yml"), """
        tls_config:
          ca_file: cert.pem
          cert_file: client.pem
          key_file: client.key
        basic_auth:
          username: operator
          password_file: password
        """);

    assertThat(status("--web.config.file", dir.resolve("client.yml").toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("a       up");
  }

  @Test
  void flagsDoTheSameAndTakeThePlaceOfTheFilesKeys() throws Exception {
    Files.writeString(dir.resolve("wrong.yml"), "basic_auth:\n  username: nobody\n");

    int exit = status(withTlsFlags("--web.config.file", dir.resolve("wrong.yml").toString(),
        "--basic-auth.username", "operator", "--basic-auth.password-file", dir.resolve("password").toString()));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("a       up");
  }

  @Test
  void aWrongPasswordIsAClear401() throws Exception {
    Files.writeString(dir.resolve("bad-password"), "guess\n");

    int exit = status(withTlsFlags("--basic-auth.username", "operator", "--basic-auth.password-file", dir.resolve("bad-password").toString()));

    assertThat(exit).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).contains("answered HTTP 401: the agent wants basic auth").doesNotContain("\tat ");
  }

  @Test
  void anUntrustedCertificateIsRefusedWithoutAStackTrace() {
    assertThat(status("--basic-auth.username", "operator")).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).startsWith("tunnelwatch: cannot reach the agent at " + url).doesNotContain("\tat ");
  }

  @Test
  void aBadClientFileNamesItsLineAndColumn() throws Exception {
    Files.writeString(dir.resolve("client.yml"), "tls_config:\n  ca: cert.pem\n");

    assertThat(status("--web.config.file", dir.resolve("client.yml").toString())).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(err.toString().lines())
        .containsExactly(dir.resolve("client.yml") + ":2:3: tls_config.ca: unknown key (allowed here: ca_file, cert_file, key_file)");
  }

  @Test
  void aKeyWithoutItsCertificateIsSaidPlainly() {
    assertThat(status("--tls.key-file", dir.resolve("client.key").toString())).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(err.toString().lines()).containsExactly("tunnelwatch: a client certificate needs both its certificate and its key file");
  }
}
