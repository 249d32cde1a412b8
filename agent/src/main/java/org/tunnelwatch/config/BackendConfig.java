package org.tunnelwatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the agent talks to the IPsec daemon.
 *
 * @param type which backend; {@code auto} picks vici when the socket in {@code uri} exists when
 *     the agent starts and swanctl otherwise
 * @param swanctl the swanctl program
 * @param uri the daemon's control socket: the vici backend connects to it, the swanctl backend
 *     passes it to every call as {@code --uri}
 * @param restartService the shell command for the last rung of the ladder
 * @param timeout how long one backend command may run before it is given up (and killed)
 * @param ipsec Libreswan's {@code ipsec} program
 * @param libreswanVersion which Libreswan command set (4 and 5 differ), or ask {@code ipsec --version}
 * @param strongswanConf charon's strongswan.conf, read for {@code make_before_break} when {@code
 *     makeBeforeBreak} is {@code auto}
 * @param makeBeforeBreak whether charon reauthenticates make-before-break, as the operator says
 *     or read from {@code strongswanConf}
 */
public record BackendConfig(
    BackendType type,
    Path swanctl,
    String uri,
    String restartService,
    Duration timeout,
    Path ipsec,
    LibreswanVersion libreswanVersion,
    Path strongswanConf,
    MakeBeforeBreakSetting makeBeforeBreak) {

  private static final String UNIX = "unix://";

  /** A backend configuration with Libreswan's settings and make-before-break at their defaults. */
  public BackendConfig(BackendType type, Path swanctl, String uri, String restartService, Duration timeout) {
    this(type, swanctl, uri, restartService, timeout, Path.of(BuiltinDefaults.IPSEC), BuiltinDefaults.LIBRESWAN_VERSION);
  }

  /** A backend configuration with make-before-break at its default: read from strongswan.conf. */
  public BackendConfig(
      BackendType type,
      Path swanctl,
      String uri,
      String restartService,
      Duration timeout,
      Path ipsec,
      LibreswanVersion libreswanVersion) {
    this(
        type,
        swanctl,
        uri,
        restartService,
        timeout,
        ipsec,
        libreswanVersion,
        Path.of(BuiltinDefaults.STRONGSWAN_CONF),
        BuiltinDefaults.MAKE_BEFORE_BREAK);
  }

  /**
   * The backend to use: the configured one, or for {@code auto}, vici when {@code uri} is a Unix
   * socket that {@code exists}, else swanctl (which also reaches charon over TCP).
   */
  public BackendType effectiveType(Predicate<Path> exists) {
    if (type != BackendType.AUTO) {
      return type;
    }
    return uri.startsWith(UNIX) && exists.test(Path.of(uri.substring(UNIX.length()))) ? BackendType.VICI : BackendType.SWANCTL;
  }
}
