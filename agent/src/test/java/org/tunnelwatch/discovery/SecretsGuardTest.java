package org.tunnelwatch.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The secrets guard (docs/security.md): secrets files are not read whether named directly,
 * included, or reached through a link, and no diagnostic shows a line that looks like key
 * material, whatever the file is called.
 */
class SecretsGuardTest {

  private static final String PSK = "correct-horse-battery-staple";

  @TempDir Path dir;

  private final FixedInterfaces gateway = new FixedInterfaces().with("eth1", "192.168.1.1/24");

  private ConnectionSource.Found discover(Path file) throws DiscoveryException {
    return new IpsecConfSource(file, file.toString(), gateway, Optional.empty()).read();
  }

  private static List<String> shown(ConnectionSource.Found found) {
    return found.diagnostics().stream().map(Diagnostic::toString).toList();
  }

  @Test
  void aSecretsFileGivenAsIpsecConfIsRefusedUnread() throws Exception {
    Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), ": PSK \"" + PSK + "\"\n");

    assertThatThrownBy(() -> discover(secrets))
        .isInstanceOf(DiscoveryException.class)
        .hasMessage(secrets + ": a secrets file; not read");
  }

  @Test
  void aLinkWithAnInnocentNameToASecretsFileIsRefusedByWhatItPointsTo() throws Exception {
    Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), ": PSK \"" + PSK + "\"\n");
    Path link = Files.createSymbolicLink(dir.resolve("site.conf"), secrets);

    assertThatThrownBy(() -> discover(link)).hasMessage(link + ": a secrets file (a link to " + secrets + "); not read");

    Path main = Files.writeString(dir.resolve("ipsec.conf"), "include site.conf\n");
    assertThat(shown(discover(main)))
        .containsExactly(main + ":1: warning: include " + link + ": a secrets file (a link to " + secrets + "); not read");
  }

  @Test
  void aPrivateKeyFolderIsNeverRead() throws Exception {
    Files.createDirectories(dir.resolve("ipsec.d/private"));
    Files.writeString(dir.resolve("ipsec.d/private/gw.conf"), "-----BEGIN PRIVATE KEY-----\nMIIE\n");
    Path main = Files.writeString(dir.resolve("ipsec.conf"), "include ipsec.d/private/*.conf\n");

    assertThat(shown(discover(main)))
        .containsExactly(main + ":1: warning: include " + dir.resolve("ipsec.d/private/gw.conf") + ": a secrets file; not read");
  }

  @Test
  void secretLinesInAFileWithAHarmlessNameAreNeverShown() throws Exception {
    Path main =
        Files.writeString(
            dir.resolve("ipsec.conf"),
            String.join(
                "\n",
                ": PSK \"" + PSK + "\"",
                "@sg1.example.com @hub.example.com : PSK 0s" + PSK,
                "carol : EAP \"" + PSK + "\"",
                "dave : XAUTH \"" + PSK + "\"",
                "@gw : RSA {",
                "\tPrivateExponent: 0x" + PSK,
                "}",
                "-----BEGIN RSA PRIVATE KEY-----",
                "conn t",
                "\tleft=%defaultroute",
                "\t: PSK \"" + PSK + "\"",
                "\tsecret = " + PSK,
                ""));

    List<String> warnings = shown(discover(main));

    assertThat(warnings).isNotEmpty().noneMatch(w -> w.contains(PSK)).noneMatch(w -> w.contains("PSK"));
    assertThat(warnings).contains(main + ":1: warning: " + SecretText.WITHHELD, main + ":11: warning: " + SecretText.WITHHELD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ": PSK \"x\"", "%any : psk x", "@a @b : RSA key.pem", "x : ECDSA k.pem", "u : EAP \"p\"", "u : XAUTH \"p\"",
        ": P12 c.p12 \"p\"", ": PIN %smartcard:1 1234", "u : NTLM x", "-----BEGIN EC PRIVATE KEY-----",
        "Prime1: 0xABC", "secret = 0sQUJD", "\"x : PSK y\" is not keyword=value"
      })
  void theseLookLikeSecrets(String line) {
    assertThat(SecretText.looksSecret(line)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "authby=secret", "leftauth=psk", "rightauth=eap-mschapv2", "leftrsasigkey=0sAQOk", "conn rsa-hosts",
        "\"sear %default\" is not keyword=value; ignored", "leftid=@psk.example.com", "xauth=server", "auto=start"
      })
  void ordinaryIpsecConfLinesDoNot(String line) {
    assertThat(SecretText.looksSecret(line)).isFalse();
  }
}
