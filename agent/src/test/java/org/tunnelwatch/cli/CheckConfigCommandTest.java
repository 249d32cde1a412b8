package org.tunnelwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.TestTls;
import picocli.CommandLine;

class CheckConfigCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void aValidFileExitsZeroAndSaysSo() throws IOException {
    Path file = copy("config/valid/issue-example.yml");

    int exit = checkConfig(file.toString());

    assertThat(exit).isZero();
    // The lines after the first depend on this machine's /etc/strongswan.conf: see below.
    assertThat(out.toString().lines().findFirst())
        .contains(file + ": valid, 1 tunnel(s), 1 uplink(s), 1 maintenance job(s)");
    assertThat(out.toString().lines().skip(1).findFirst()).hasValueSatisfying(l -> assertThat(l).startsWith("make-before-break: "));
    assertThat(err.toString()).isEmpty();
  }

  /** check-config on {@code file} exits 0 and prints its summary line (no tunnels), then exactly {@code more}. */
  private void assertValidWithLines(Path file, String... more) {
    int exit = checkConfig(file.toString());

    assertThat(exit).isZero();
    List<String> expected = new ArrayList<>(List.of(file + ": valid, 0 tunnel(s), 0 uplink(s), 0 maintenance job(s)"));
    expected.addAll(List.of(more));
    assertThat(out.toString().lines()).containsExactlyElementsOf(expected);
  }

  @Test
  void itSaysWhereItFoundMakeBeforeBreak() throws IOException {
    Path conf = resource("fixtures/strongswan-conf/debian/strongswan.conf");
    Path file = dir.resolve("mbb.yml");
    Files.writeString(file, "backend:\n  strongswan-conf: " + conf + "\n");

    assertValidWithLines(file,
        "make-before-break: yes (" + conf.resolveSibling("strongswan.d/charon.conf") + ":11: charon.make_before_break = yes)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void itWarnsWhenTheConfigurationSaysNoAndStillExitsZero() throws IOException {
    Path file = dir.resolve("no.yml");
    Files.writeString(file, "backend:\n  type: vici\n  make-before-break: no\n  strongswan-conf: /nonexistent/strongswan.conf\n");

    assertValidWithLines(file,
        "make-before-break: no (backend.make-before-break in the configuration)",
        "warning: charon does not do make-before-break reauthentication (backend.make-before-break in the"
                + " configuration): reauth-ike interrupts every CHILD SA of its IKE SA; the agent plans its repairs without it");
  }

  @Test
  void itWarnsWhenStrongswanConfCannotBeReadAndStillExitsZero() throws IOException {
    Path conf = dir.resolve("absent.conf");
    Path file = dir.resolve("unknown.yml");
    Files.writeString(file, "backend:\n  strongswan-conf: " + conf + "\n");

    assertValidWithLines(file,
        "make-before-break: unknown (unreadable: " + conf + ": no such file)",
        "warning: cannot tell whether charon does make-before-break reauthentication (unreadable: " + conf
                + ": no such file): reauth-ike may interrupt every CHILD SA of its IKE SA; the agent plans its repairs without it");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void withLibreswanItSaysNothingAboutMakeBeforeBreak() throws IOException {
    Path file = dir.resolve("libreswan.yml");
    Files.writeString(file, "backend:\n  type: libreswan\n");

    assertValidWithLines(file);
  }

  @Test
  void aValidFileInDryRunModeSaysDryRun() throws IOException {
    Path file = dir.resolve("dry.yml");
    Files.writeString(file, "dry-run: true\n");

    int exit = checkConfig(file.toString());

    assertThat(exit).isZero();
    assertThat(out.toString().lines().findFirst())
        .contains(file + ": valid, 0 tunnel(s), 0 uplink(s), 0 maintenance job(s), dry-run");
  }

  @Test
  void anInvalidFileExitsTwoWithOneLinePerProblemOnStandardError() throws IOException {
    Path file = copy("config/invalid/several-errors.yml");
    List<String> expected =
        Files.readAllLines(resource("config/invalid/several-errors.expected")).stream()
            .map(line -> file + line.substring("several-errors.yml".length()))
            .toList();

    int exit = checkConfig(file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactlyElementsOf(expected);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aRelativePathIsPrintedAsItWasGiven() throws IOException {
    Path file = copy("config/invalid/count-zero.yml");
    Path relative = Path.of("").toAbsolutePath().relativize(file);

    int exit = checkConfig(relative.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(relative + ":6:12: tunnels[0].count: must be between 1 and 100, found 0");
  }

  @Test
  void aMissingFileExitsTwoWithOneLineAndNoStackTrace() {
    Path file = dir.resolve("absent.yml");

    int exit = checkConfig(file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(file + ": no such file");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aDirectoryExitsTwoWithOneLineAndNoStackTrace() {
    int exit = checkConfig(dir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .isEqualTo(dir + ": not a regular file (a directory), not read");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  @Timeout(10) // reading a FIFO waits for a writer forever
  void aFifoExitsTwoWithOneLineInsteadOfHanging() throws Exception {
    Path fifo = dir.resolve("tunnelwatch.yml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    assertThat(checkConfig(fifo.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(fifo + ": not a regular file (a FIFO), not read");
  }

  @Test
  void aLinkToDevZeroExitsTwoWithOneLineAndNoStackTrace() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("tunnelwatch.yml"), Path.of("/dev/zero"));

    assertThat(checkConfig(link.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(link + ": not a regular file (a character device), not read");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void withoutAFileItChecksTheInstalledOne() {
    int exit = checkConfig();

    String said = out.toString() + err.toString();
    assertThat(said).startsWith("/etc/tunnelwatch/tunnelwatch.yml: ").doesNotContain("\tat ");
    if (!Files.exists(Path.of("/etc/tunnelwatch/tunnelwatch.yml"))) {
      assertThat(exit).isEqualTo(2);
      assertThat(err.toString().lines()).containsExactly("/etc/tunnelwatch/tunnelwatch.yml: no such file");
    }
  }

  @Test
  void theExportersSpellingsCheckTheSameFile() throws IOException {
    Path file = dir.resolve("dry.yml");
    Files.writeString(file, "dry-run: true\n");
    String expected = file + ": valid, 0 tunnel(s), 0 uplink(s), 0 maintenance job(s), dry-run";

    for (List<String> args :
        List.of(
            List.of("check-config", "--config.file", file.toString()),
            List.of("check-config", "--config.file=" + file),
            List.of("check-config", "--config", file.toString()),
            List.of("check-config", "-c", file.toString()),
            List.of("--config.check", "--config.file", file.toString()))) {
      out.getBuffer().setLength(0);
      assertThat(run(args.toArray(String[]::new))).as(args.toString()).isZero();
      assertThat(out.toString().lines().findFirst()).as(args.toString()).contains(expected);
    }
  }

  @Test
  void aConfigFileBeforeTheCommandIsRefusedRatherThanIgnored() {
    int exit = run("--config.file", "/nonexistent/elsewhere.yml", "check-config");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--config.file and --config.check go after the command (tunnelwatch check-config --config.file FILE)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void configCheckFailsAsCheckConfigDoes() throws IOException {
    Path file = copy("config/invalid/count-zero.yml");

    int exit = run("--config.check", "--config.file", file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(file + ":6:12: tunnels[0].count: must be between 1 and 100, found 0");
  }

  @Test
  void tlsFilesThatCannotWorkAreProblemsNamingTheFile() throws Exception {
    TestTls tls = new TestTls(dir);
    tls.key("key.pem", "pkcs8-ec");
    tls.certificate("cert.pem", "key.pem");
    tls.key("other.pem", "pkcs8-ec");
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: cert.pem\n  key_file: other.pem\n");
    Path file = dir.resolve("tls.yml");
    Files.writeString(file, "web-config: " + web + "\n");

    int exit = checkConfig(file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(web + ":3:13: tls_server_config.key_file: the key in " + dir.resolve("other.pem")
            + " does not belong to the certificate in " + dir.resolve("cert.pem") + " (every TLS handshake would fail; were they made together?)");
  }

  @Test
  void anExpiredCertificateIsAWarningNotAnError() throws Exception {
    new TestTls(dir).datedPair("old.pem", "old.key", "-3d", 1);
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: old.pem\n  key_file: old.key\n");
    Path file = dir.resolve("tls.yml");
    Files.writeString(file, "web-config: " + web + "\n");

    int exit = checkConfig(file.toString());

    assertThat(exit).isZero();
    assertThat(out.toString().lines()).anySatisfy(l -> assertThat(l).startsWith("warning: " + dir.resolve("old.pem") + ": the certificate expired on "));
  }

  private int checkConfig(String... file) {
    String[] args = new String[file.length + 1];
    args[0] = "check-config";
    System.arraycopy(file, 0, args, 1, file.length);
    return run(args);
  }

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path copy(String name) throws IOException {
    Path source = resource(name);
    return Files.copy(source, dir.resolve(source.getFileName()));
  }

  private static Path resource(String name) {
    try {
      return Path.of(CheckConfigCommandTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
