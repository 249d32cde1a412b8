package org.tunnelwatch.telemetry.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic authentication against bcrypt hashes, as the exporter toolkit does it.
 *
 * <ul>
 *   <li>bcrypt is slow on purpose (tens of milliseconds). An unknown user is checked against a
 *       dummy hash of the same cost, so the time of an answer does not tell which users exist.
 *   <li>Like the toolkit, a successful check is remembered (as a SHA-256 of user and password,
 *       never the password) so that a scrape every few seconds does not cost a core.
 *   <li>The scheme is matched without regard to case (RFC 7617); a header that cannot be
 *       decoded gets the same 401 as a wrong password.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class BcryptAuthenticator extends Authenticator {

  static final String REALM = "tunnelwatch";
  private static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

  /** bcrypt reads no more of a password; the library refuses longer ones. */
  private static final int MAX_PASSWORD_BYTES = 72;

  private final Map<String, String> hashes;
  private final byte[] dummyHash;
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

  private final HashCheck check;

  /** One bcrypt comparison: the slow step, the one a timing attacker measures. */
  interface HashCheck {
    boolean matches(byte[] password, byte[] hash);
  }

  public BcryptAuthenticator(Map<String, String> hashes) {
    this(hashes, (password, hash) -> BCrypt.verifyer().verify(password, hash).verified);
  }

  BcryptAuthenticator(Map<String, String> hashes, HashCheck check) {
    this.hashes = Map.copyOf(hashes);
    this.dummyHash = dummyHash(highestCost(this.hashes));
    this.check = check;
  }

  /** User names and their hashes, as configured. */
  Map<String, String> users() {
    return hashes;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    String[] credentials = credentials(exchange.getRequestHeaders().getFirst("Authorization"));
    if (credentials != null && checkCredentials(credentials[0], credentials[1])) {
      return new Success(new HttpPrincipal(credentials[0], REALM));
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
    return new Retry(401);
  }

  /** User and password from an {@code Authorization} header, or null when it holds none. */
  static String[] credentials(String header) {
    if (header == null) {
      return null;
    }
    String trimmed = header.strip();
    int space = trimmed.indexOf(' ');
    if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(trimmed.substring(space + 1).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  boolean checkCredentials(String user, String password) {
    byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
    if (passwordBytes.length > MAX_PASSWORD_BYTES) {
      return false; // before the user is looked up: as fast for every user
    }
    String hash = hashes.get(user);
    if (hash == null) {
      check.matches(passwordBytes, dummyHash); // as long as a known user's check
      return false;
    }
    byte[] fingerprint = fingerprint(user, password);
    byte[] known = verified.get(user);
    if (known != null && MessageDigest.isEqual(known, fingerprint)) {
      return true;
    }
    boolean ok = check.matches(passwordBytes, hash.getBytes(StandardCharsets.UTF_8));
    if (ok) {
      verified.put(user, fingerprint);
    }
    return ok;
  }

  /** The cost of the configured hashes ({@code $2y$10$...}), the highest if they differ. */
  private static int highestCost(Map<String, String> hashes) {
    return hashes.values().stream().mapToInt(h -> Integer.parseInt(h.substring(4, 6))).max().orElse(10);
  }

  private static byte[] dummyHash(int cost) {
    byte[] password = new byte[16];
    new SecureRandom().nextBytes(password);
    return BCrypt.withDefaults().hash(cost, password);
  }

  private static byte[] fingerprint(String user, String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest((user + '\u0000' + password).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
