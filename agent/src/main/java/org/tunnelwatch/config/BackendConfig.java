package org.tunnelwatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the agent talks to the IPsec daemon.
 *
 * @param type which backend: {@code vici}, {@code swanctl}, or {@code auto} (the default), which
 *     picks vici when the socket in {@code uri} exists when the agent starts
 * @param swanctl the swanctl program
 * @param uri the daemon's control socket: the vici backend connects to it, the swanctl backend
 *     passes it to every call as {@code --uri}
 * @param restartService the shell command for the last rung of the ladder
 * @param timeout how long one backend command may run before it is given up (and killed)
 */
public record BackendConfig(
    String type, Path swanctl, String uri, String restartService, Duration timeout) {

  public static final String AUTO = "auto";
  public static final String VICI = "vici";
  public static final String SWANCTL = "swanctl";

  private static final String UNIX = "unix://";

  /**
   * The backend to use: the configured one, or for {@code auto}, vici when {@code uri} is a Unix
   * socket that {@code exists}, else swanctl (which also reaches charon over TCP).
   */
  public String effectiveType(Predicate<Path> exists) {
    if (!type.equals(AUTO)) {
      return type;
    }
    return uri.startsWith(UNIX) && exists.test(Path.of(uri.substring(UNIX.length()))) ? VICI : SWANCTL;
  }
}
