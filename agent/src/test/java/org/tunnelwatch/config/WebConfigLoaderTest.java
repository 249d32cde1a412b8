package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.TestTls;

class WebConfigLoaderTest {

  private static final String HASH = "$2y$10$Xk0O8kTxYYJxFKg/Ov0K1.RlPj4M1iybvCnhj3X7r7bZgkBCyl0Xm";

  @TempDir Path dir;

  private List<String> problems(String text) throws IOException {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, text);
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> new WebConfigLoader().load(file));
    assertThat(e).as("expected problems").isNotNull();
    return e.problems().stream().map(p -> p.toString().replace(dir.toString(), "DIR")).toList();
  }

  @Test
  void usersAndTlsFilesAreRead() throws Exception {
    TestTls tls = new TestTls(dir);
    tls.key("k.pem", "pkcs8-ec");
    tls.certificate("c.pem", "k.pem");
    Path file = dir.resolve("web.yml");
    Files.writeString(file, "tls_server_config:\n  cert_file: c.pem\n  key_file: " + dir.resolve("k.pem") + "\n  min_version: TLS13\nbasic_auth_users:\n  prom: " + HASH + "\n");
    WebConfig web = new WebConfigLoader().load(file);
    assertThat(web.users()).containsEntry("prom", HASH);
    assertThat(web.toString()).contains("prom").doesNotContain("$2y$");
    assertThat(web.tls().orElseThrow().certFile()).isEqualTo(dir.resolve("c.pem"));
    assertThat(web.tls().orElseThrow().minVersion()).isEqualTo("TLSv1.3");
  }

  @Test
  void unknownAndUnsupportedKeysAreErrors() throws IOException {
    assertThat(problems("basic_auth_user:\n  a: b\nhttp_server_config:\n  http2: true\n"))
        .containsExactly(
            "DIR/web.yml:1:1: basic_auth_user: unknown key (allowed here: basic_auth_users, http_server_config, tls_server_config)",
            "DIR/web.yml:4:3: http_server_config: is an exporter-toolkit setting tunnelwatch does not support");
  }

  @Test
  void aPasswordInsteadOfAHashIsRefused() throws IOException {
    assertThat(problems("basic_auth_users:\n  prom: hunter2\n"))
        .containsExactly("DIR/web.yml:2:9: basic_auth_users.prom: must be a bcrypt hash ($2y$10$…, as made by htpasswd -nBC 10), found something else");
  }

  @Test
  void missingFilesAndClientCertRulesAreReported() throws IOException {
    assertThat(problems("tls_server_config:\n  cert_file: nope.pem\n  client_auth_type: RequireAndVerifyClientCert\n"))
        .containsExactly(
            "DIR/web.yml:2:3: tls_server_config.key_file: required",
            "DIR/web.yml:2:3: tls_server_config.client_ca_file: required when client_auth_type is RequireAndVerifyClientCert",
            "DIR/web.yml:2:14: tls_server_config.cert_file: cannot read DIR/nope.pem");
  }

  @Test
  void theAgentConfigReportsTheWebConfigsProblemsUnderItsName() throws IOException {
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "basic_auth_users:\n  prom: hunter2\n");
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> new ConfigLoader().parse("agent.yml", "web-config: " + web + "\n"));
    assertThat(e.problems()).extracting(ConfigProblem::toString)
        .containsExactly(web + ":2:9: basic_auth_users.prom: must be a bcrypt hash ($2y$10$…, as made by htpasswd -nBC 10), found something else");
  }
}
