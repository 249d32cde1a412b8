package org.tunnelwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.TestTls;

/**
 * The web config's TLS files are read and checked when the config is loaded (by {@code run},
 * a reload and {@code check-config} alike), with real material of every bad kind made by openssl
 * and keytool: each problem names the key, the file and what is wrong.
 */
class WebConfigTlsMaterialTest {

  @TempDir Path dir;

  private TestTls tls() {
    return new TestTls(dir);
  }

  private Path webConfig(String cert, String key, String extra) throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key + "\n" + extra);
    return file;
  }

  private List<String> problems(String cert, String key) throws Exception {
    return problems(webConfig(cert, key, ""));
  }

  private List<String> problems(Path file) {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> new WebConfigLoader().load(file));
    assertThat(e).as("expected problems").isNotNull();
    return e.problems().stream().map(p -> p.toString().replace(dir.toString(), "DIR")).toList();
  }

  @ParameterizedTest(name = "key as {0}")
  @ValueSource(strings = {"pkcs8-rsa", "pkcs1-rsa", "pkcs8-ec", "sec1-ec", "ed25519"})
  void aMatchingPairLoadsWithoutWarnings(String flavour) throws Exception {
    tls().key("key.pem", flavour);
    tls().certificate("cert.pem", "key.pem");

    WebConfig web = new WebConfigLoader().load(webConfig("cert.pem", "key.pem", ""));

    assertThat(web.tls().orElseThrow().material().chain()).hasSize(1);
    assertThat(web.warnings(Instant.now())).isEmpty();
  }

  @Nested
  class BadMaterial {

    @Test
    void aKeyOfAnotherCertificate() throws Exception {
      tls().key("key.pem", "pkcs8-rsa");
      tls().certificate("cert.pem", "key.pem");
      tls().key("other.pem", "pkcs8-rsa");

      assertThat(problems("cert.pem", "other.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: the key in DIR/other.pem does not belong to the certificate"
              + " in DIR/cert.pem (every TLS handshake would fail; were they made together?)");
    }

    @Test
    void aKeyOfAnotherAlgorithm() throws Exception {
      tls().key("key.pem", "pkcs8-ec");
      tls().certificate("cert.pem", "key.pem");
      tls().key("rsa.pem", "pkcs1-rsa");

      assertThat(problems("cert.pem", "rsa.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: the key in DIR/rsa.pem does not belong to the certificate"
              + " in DIR/cert.pem (every TLS handshake would fail; were they made together?)");
    }

    @Test
    void theKeyGivenAsTheCertificate() throws Exception {
      tls().key("key.pem", "pkcs8-rsa");
      tls().certificate("cert.pem", "key.pem");

      assertThat(problems("key.pem", "key.pem"))
          .containsExactly("DIR/web.yml:2:14: tls_server_config.cert_file: DIR/key.pem: no PEM certificate in it (found PRIVATE KEY)");
    }

    @Test
    void theCertificateGivenAsTheKey() throws Exception {
      tls().key("key.pem", "pkcs8-rsa");
      tls().certificate("cert.pem", "key.pem");

      assertThat(problems("cert.pem", "cert.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/cert.pem: no PEM private key in it (found CERTIFICATE)");
    }

    @Test
    void textThatIsNoKey() throws Exception {
      tls().key("key.pem", "pkcs8-rsa");
      tls().certificate("cert.pem", "key.pem");
      Files.writeString(dir.resolve("garbage.pem"), "this is not a key\n");

      assertThat(problems("cert.pem", "garbage.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/garbage.pem: no PEM private key in it (not a PEM file)");
    }

    @Test
    void binaryGarbageAsKeyAndCertificate() throws Exception {
      byte[] noise = new byte[4096];
      new Random(21).nextBytes(noise);
      Files.write(dir.resolve("noise.bin"), noise);

      assertThat(problems("noise.bin", "noise.bin"))
          .containsExactly(
              "DIR/web.yml:2:14: tls_server_config.cert_file: DIR/noise.bin: no PEM certificate in it (not a PEM file)",
              "DIR/web.yml:3:13: tls_server_config.key_file: DIR/noise.bin: no PEM private key in it (not a PEM file)");
    }

    @Test
    void damagedPemBlocks() throws Exception {
      String junk = Base64.getMimeEncoder().encodeToString("definitely not DER".repeat(20).getBytes(StandardCharsets.US_ASCII));
      Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n" + junk + "\n-----END CERTIFICATE-----\n");
      Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n" + junk + "\n-----END PRIVATE KEY-----\n");

      assertThat(problems("cert.pem", "key.pem"))
          .containsExactly(
              "DIR/web.yml:2:14: tls_server_config.cert_file: DIR/cert.pem: a certificate in it cannot be read (damaged or not X.509)",
              "DIR/web.yml:3:13: tls_server_config.key_file: DIR/key.pem: the PRIVATE KEY cannot be read (damaged, or not RSA, EC or Ed25519)");
    }

    @Test
    void anEncryptedKey() throws Exception {
      tls().key("key.pem", "pkcs8-rsa");
      tls().certificate("cert.pem", "key.pem");
      tls().openssl("pkcs8", "-topk8", "-in", "key.pem", "-out", "enc.pem", "-passout", "pass:x");

      assertThat(problems("cert.pem", "enc.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/enc.pem: the key is encrypted; the agent needs it unencrypted");
    }

    @Test
    void anEncryptedPkcs1Key() throws Exception {
      tls().key("key.pem", "pkcs1-rsa");
      tls().certificate("cert.pem", "key.pem");
      tls().openssl("rsa", "-traditional", "-aes128", "-in", "key.pem", "-out", "enc.pem", "-passout", "pass:x");

      assertThat(problems("cert.pem", "enc.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/enc.pem: the key is encrypted; the agent needs it unencrypted");
    }

    @Test
    void anEncryptedSec1Key() throws Exception {
      tls().key("key.pem", "sec1-ec");
      tls().certificate("cert.pem", "key.pem");
      tls().openssl("ec", "-aes128", "-in", "key.pem", "-out", "enc.pem", "-passout", "pass:x");

      assertThat(problems("cert.pem", "enc.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/enc.pem: the key is encrypted; the agent needs it unencrypted");
    }

    @Test
    void aSec1KeyWithExplicitCurveParametersSaysSo() throws Exception {
      tls().openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "key.pem");
      tls().key("other.pem", "pkcs8-ec");
      tls().certificate("cert.pem", "other.pem");

      assertThat(problems("cert.pem", "key.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/key.pem: the EC PRIVATE KEY does not name its curve"
              + " (openssl writes it with -param_enc named_curve)");
    }

    @Test
    void aDamagedSec1Key() throws Exception {
      tls().key("cert.key", "pkcs8-ec");
      tls().certificate("cert.pem", "cert.key");
      Files.writeString(dir.resolve("key.pem"), "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");

      assertThat(problems("cert.pem", "key.pem"))
          .containsExactly("DIR/web.yml:3:13: tls_server_config.key_file: DIR/key.pem: the EC PRIVATE KEY cannot be read (damaged)");
    }

    @Test
    void anEmptyFileAndAFifo() throws Exception {
      Files.writeString(dir.resolve("empty.pem"), "");
      Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo.pem").toString()).start();
      assertThat(mkfifo.waitFor()).isZero();

      assertThat(problems("empty.pem", "fifo.pem"))
          .containsExactly(
              "DIR/web.yml:2:14: tls_server_config.cert_file: DIR/empty.pem: no PEM certificate in it (not a PEM file)",
              "DIR/web.yml:3:13: tls_server_config.key_file: DIR/fifo.pem: not a regular file (a FIFO), not read");
    }

    @Test
    void clientCasThatAreNoCertificates() throws Exception {
      tls().key("key.pem", "pkcs8-rsa");
      tls().certificate("cert.pem", "key.pem");

      Path file = webConfig("cert.pem", "key.pem", "  client_ca_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n");

      assertThat(problems(file))
          .containsExactly("DIR/web.yml:4:19: tls_server_config.client_ca_file: DIR/key.pem: no PEM certificate in it (found PRIVATE KEY)");
    }
  }

  @Nested
  class Dates {

    @Test
    void anExpiredCertificateLoadsWithAWarningNamingTheFile() throws Exception {
      tls().datedPair("old.pem", "old.key", "-3d", 1);

      WebConfig web = new WebConfigLoader().load(webConfig("old.pem", "old.key", ""));

      assertThat(web.warnings(Instant.now()))
          .singleElement()
          .satisfies(w -> assertThat(w).startsWith(dir.resolve("old.pem") + ": the certificate expired on ").endsWith("; clients will refuse it"));
    }

    @Test
    void aCertificateNotValidYetLoadsWithAWarning() throws Exception {
      tls().datedPair("new.pem", "new.key", "+2d", 5);

      WebConfig web = new WebConfigLoader().load(webConfig("new.pem", "new.key", ""));

      assertThat(web.warnings(Instant.now()))
          .singleElement()
          .satisfies(w -> assertThat(w).startsWith(dir.resolve("new.pem") + ": the certificate is not valid before "));
    }

    @Test
    void aCertificateIsReadAgainSoAReplacedOneIsAnotherConfig() throws Exception {
      tls().key("key.pem", "pkcs8-ec");
      tls().certificate("cert.pem", "key.pem");
      Path file = webConfig("cert.pem", "key.pem", "");
      WebConfig before = new WebConfigLoader().load(file);
      assertThat(new WebConfigLoader().load(file)).isEqualTo(before);

      tls().certificate("cert.pem", "key.pem");

      assertThat(new WebConfigLoader().load(file)).isNotEqualTo(before);
    }
  }
}
