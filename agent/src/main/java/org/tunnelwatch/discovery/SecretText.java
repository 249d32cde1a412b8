package org.tunnelwatch.discovery;

import java.util.regex.Pattern;

/**
 * Recognises text that looks like key material, so that no diagnostic ever shows it, whatever
 * file it came from: a secrets entry ({@code : PSK "..."}, {@code @id : RSA ...}, {@code : EAP},
 * {@code : XAUTH} and the other types of ipsec.secrets(5)), a PEM private key, the fields of a
 * Libreswan raw RSA key, or a swanctl {@code secret = ...}. Pure and thread-safe.
 */
final class SecretText {

  /** What a diagnostic says instead of the text. */
  static final String WITHHELD =
      "this line looks like key material (a secrets entry or a private key); it is neither shown nor read";

  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(?:^|[\\s\"']):\\s*(?:PSK|RSA|ECDSA|BLISS|EAP|XAUTH|NTLM|P12|PKCS8|PKCS12|PIN|PPKS?)(?=[\\s\"'{]|$)"
              + "|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
              + "|\\b(?:PrivateExponent|Prime1|Prime2|Exponent1|Exponent2|Coefficient)\\s*:"
              + "|(?:^|[\\s\"'])secret\\s*=");

  private SecretText() {}

  static boolean looksSecret(String text) {
    return SECRET.matcher(text).find();
  }

  /** {@code message}, or {@link #WITHHELD} when it shows something that looks like a secret. */
  static String guard(String message) {
    return looksSecret(message) ? WITHHELD : message;
  }
}
