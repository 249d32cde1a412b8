package org.tunnelwatch.telemetry.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic authentication against bcrypt hashes, as the exporter toolkit does. bcrypt is slow
 * on purpose (tens of milliseconds); like the toolkit, a successful check is remembered (as a
 * SHA-256 of user and password, never the password) so that a scrape every few seconds does not
 * cost a core. Thread-safe.
 */
public final class BcryptAuthenticator extends BasicAuthenticator {

  private final Map<String, String> hashes;
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

  public BcryptAuthenticator(Map<String, String> hashes) {
    super("tunnelwatch");
    this.hashes = Map.copyOf(hashes);
  }

  @Override
  public boolean checkCredentials(String user, String password) {
    String hash = hashes.get(user);
    if (hash == null || password == null) {
      return false;
    }
    byte[] fingerprint = fingerprint(user, password);
    byte[] known = verified.get(user);
    if (known != null && MessageDigest.isEqual(known, fingerprint)) {
      return true;
    }
    boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    if (ok) {
      verified.put(user, fingerprint);
    }
    return ok;
  }

  private static byte[] fingerprint(String user, String password) {
    try {
      return MessageDigest.getInstance("SHA-256").digest((user + '\u0000' + password).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
