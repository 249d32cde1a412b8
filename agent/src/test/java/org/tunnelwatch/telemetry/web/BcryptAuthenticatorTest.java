package org.tunnelwatch.telemetry.web;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the authenticator does per request, counted rather than timed: every user name, known
 * or not, costs one bcrypt comparison of the configured cost, so the time of an answer does not
 * tell which users exist. (The measured times are in docs/security.md.)
 */
class BcryptAuthenticatorTest {

  private static final String HASH = BCrypt.withDefaults().hashToString(6, "s3cret".toCharArray());

  private final List<String> compared = new ArrayList<>();
  private final BcryptAuthenticator auth =
      new BcryptAuthenticator(Map.of("prometheus", HASH), (password, hash) -> {
        String text = new String(hash, StandardCharsets.UTF_8);
        compared.add(text);
        return BCrypt.verifyer().verify(password, hash).verified;
      });

  @Test
  void anUnknownUserCostsOneComparisonOfTheSameCostAsAWrongPassword() {
    assertThat(auth.checkCredentials("nobody", "s3cret")).isFalse();
    assertThat(auth.checkCredentials("prometheus", "wrong")).isFalse();

    assertThat(compared).hasSize(2);
    assertThat(compared.get(0)).isNotEqualTo(HASH).startsWith("$2a$06$");
    assertThat(compared.get(1)).isEqualTo(HASH);
  }

  @Test
  void aVerifiedPasswordIsRememberedAndOnlyThatOne() {
    assertThat(auth.checkCredentials("prometheus", "s3cret")).isTrue();
    assertThat(auth.checkCredentials("prometheus", "s3cret")).isTrue();
    assertThat(auth.checkCredentials("prometheus", "S3cret")).isFalse();

    assertThat(compared).hasSize(2);
  }

  @Test
  void credentialsAreReadFromTheHeaderWhateverTheSchemesCase() {
    String encoded = Base64.getEncoder().encodeToString("u:p:q".getBytes(StandardCharsets.UTF_8));

    assertThat(BcryptAuthenticator.credentials("Basic " + encoded)).containsExactly("u", "p:q");
    assertThat(BcryptAuthenticator.credentials("basic " + encoded)).containsExactly("u", "p:q");
    assertThat(BcryptAuthenticator.credentials("bAsIc   " + encoded + " ")).containsExactly("u", "p:q");
    assertThat(BcryptAuthenticator.credentials("Basic !!!")).isNull();
    assertThat(BcryptAuthenticator.credentials("Digest " + encoded)).isNull();
    assertThat(BcryptAuthenticator.credentials(null)).isNull();
  }
}
