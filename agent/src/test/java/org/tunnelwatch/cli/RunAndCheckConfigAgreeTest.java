package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelwatch.TestTls;
import picocli.CommandLine;

/**
 * Every file that {@code run} refuses, {@code check-config} refuses too, with the same lines on
 * standard error: the operator's check before a restart or reload must fail where the start
 * would, and the unit's start (which has no check before it) must say why in the same words. Both run in this JVM; {@code run} refuses before it starts anything.
 */
class RunAndCheckConfigAgreeTest {

  @TempDir Path dir;

  private record Outcome(int exit, String err) {}

  private static Outcome execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new Outcome(commandLine.execute(args), err.toString());
  }

  /** check-config first: a file it passed would start a real agent under run, which never returns. */
  private static void assertBothRefuse(Path file, String blamed) {
    Outcome check = execute("check-config", file.toString());
    assertThat(check.exit()).as("check-config exit for %s", file.getFileName()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(check.err()).as("check-config blames %s", blamed).contains(blamed);

    Outcome run = execute("run", "--config.file", file.toString());

    assertThat(run.exit()).as("run exit for %s", file.getFileName()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(check.err()).as("check-config said for %s", file.getFileName()).isEqualTo(run.err());
  }

  static Stream<String> invalidFiles() throws IOException {
    Path invalid = resource("config/invalid");
    try (Stream<Path> files = Files.list(invalid)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yml") && !Files.exists(invalid.resolve(n.replace(".yml", ".disabled"))))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void everyInvalidConfigurationIsRefusedByBothInTheSameWords(String name) throws IOException {
    assertBothRefuse(Files.copy(resource("config/invalid").resolve(name), dir.resolve(name)), name);
  }

  /** Web configs whose TLS material or hashes run cannot use; made at test time by openssl. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"encrypted-pkcs8", "encrypted-sec1", "key-of-another-certificate", "sec1-explicit-curve", "bcrypt-damaged", "web-config-missing"})
  void everyWebConfigRunCannotUseIsRefusedByBothInTheSameWords(String kind) throws Exception {
    TestTls tls = new TestTls(dir);
    String web = "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n";
    switch (kind) {
      case "encrypted-pkcs8" -> {
        tls.key("plain.pem", "pkcs8-ec");
        tls.certificate("cert.pem", "plain.pem");
        tls.openssl("pkcs8", "-topk8", "-in", "plain.pem", "-out", "key.pem", "-passout", "pass:x");
      }
      case "encrypted-sec1" -> {
        tls.key("plain.pem", "sec1-ec");
        tls.certificate("cert.pem", "plain.pem");
        tls.openssl("ec", "-aes128", "-in", "plain.pem", "-out", "key.pem", "-passout", "pass:x");
      }
      case "key-of-another-certificate" -> {
        tls.key("other.pem", "sec1-ec");
        tls.certificate("cert.pem", "other.pem");
        tls.key("key.pem", "sec1-ec");
      }
      case "sec1-explicit-curve" -> {
        tls.key("other.pem", "pkcs8-ec");
        tls.certificate("cert.pem", "other.pem");
        tls.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "key.pem");
      }
      case "bcrypt-damaged" -> web = "basic_auth_users:\n  prometheus: $2y$10$tooshort\n";
      case "web-config-missing" -> web = null;
      default -> throw new IllegalArgumentException(kind);
    }
    Path webFile = dir.resolve("web.yml");
    if (web != null) {
      Files.writeString(webFile, web);
    }
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, "listen: \"127.0.0.1:19814\"\nweb-config: " + webFile + "\n");

    assertBothRefuse(file, webFile.toString());
  }

  /** The web flags as the unit passes them to both: a bad listen flag, a web config whose key is encrypted. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--web.listen-address", "--web.config.file"})
  void theWebFlagsAreCheckedAsRunUsesThem(String flag) throws Exception {
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, "listen: \"127.0.0.1:19814\"\n");
    String value = "9814";
    String blamed = "--web.listen-address";
    if (flag.equals("--web.config.file")) {
      TestTls tls = new TestTls(dir);
      tls.key("plain.pem", "pkcs8-ec");
      tls.certificate("cert.pem", "plain.pem");
      tls.openssl("pkcs8", "-topk8", "-in", "plain.pem", "-out", "key.pem", "-passout", "pass:x");
      Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
      value = dir.resolve("web.yml").toString();
      blamed = value;
    }

    Outcome check = execute("check-config", "--config.file", file.toString(), flag, value);
    assertThat(check.exit()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(check.err()).contains(blamed);
    Outcome run = execute("run", "--config.file", file.toString(), flag, value);

    assertThat(run.exit()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(check.err()).isEqualTo(run.err());
  }

  /** The unit gives both $TUNNELWATCH_OPTS: check-config takes run's log flags, and refuses a bad one as run does. */
  @org.junit.jupiter.api.Test
  void theLogFlagsAreTakenByBothAndABadValueIsRefusedByBothInTheSameWords() throws Exception {
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, "listen: \"127.0.0.1:19814\"\n");

    Outcome good = execute("check-config", file.toString(), "--log.level=debug", "--log.format=json");
    assertThat(good.exit()).as(good.err()).isEqualTo(ExitCodes.OK);

    Outcome check = execute("check-config", file.toString(), "--log.level=loud");
    Outcome run = execute("run", "--config.file", file.toString(), "--log.level=loud");
    assertThat(check.exit()).isNotEqualTo(ExitCodes.OK).isEqualTo(run.exit());
    assertThat(check.err()).contains("--log.level", "loud");
    assertThat(check.err().lines().findFirst()).isEqualTo(run.err().lines().findFirst());
  }

  private static Path resource(String name) {
    try {
      return Path.of(RunAndCheckConfigAgreeTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
