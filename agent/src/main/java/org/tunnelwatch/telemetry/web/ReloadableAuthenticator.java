package org.tunnelwatch.telemetry.web;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.util.Map;

/**
 * The endpoints' authentication, replaceable while the server runs: basic auth against the
 * current users, or everyone admitted while there are none. Thread-safe.
 */
public final class ReloadableAuthenticator extends Authenticator {

  private static final HttpPrincipal ANONYMOUS = new HttpPrincipal("", BcryptAuthenticator.REALM);

  private volatile BcryptAuthenticator current;

  /**
   * Requests from now on are checked against {@code users} (user name to bcrypt hash). The same
   * users keep the authenticator they have, and with it the passwords it has verified.
   */
  public synchronized void set(Map<String, String> users) {
    BcryptAuthenticator now = current;
    if (now != null && now.users().equals(users)) {
      return;
    }
    current = users.isEmpty() ? null : new BcryptAuthenticator(users);
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    BcryptAuthenticator auth = current;
    return auth == null ? new Success(ANONYMOUS) : auth.authenticate(exchange);
  }
}
