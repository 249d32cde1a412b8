package org.tunnelwatch.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent talks to the IPsec daemon.
 *
 * @param type which backend: {@code swanctl} or {@code libreswan}
 * @param swanctl the swanctl program
 * @param uri the daemon's control socket, passed to every swanctl call as {@code --uri}
 * @param restartService the shell command for the last rung of the ladder
 * @param timeout how long one backend command may run before it is killed
 * @param ipsec Libreswan's {@code ipsec} program
 * @param libreswanVersion {@code 4} or {@code 5} (their commands differ), or {@code auto} to ask
 *     {@code ipsec --version}
 */
public record BackendConfig(
    String type,
    Path swanctl,
    String uri,
    String restartService,
    Duration timeout,
    Path ipsec,
    String libreswanVersion) {

  /** A backend configuration with Libreswan's settings at their defaults. */
  public BackendConfig(String type, Path swanctl, String uri, String restartService, Duration timeout) {
    this(type, swanctl, uri, restartService, timeout, Path.of(BuiltinDefaults.IPSEC), BuiltinDefaults.LIBRESWAN_VERSION);
  }
}
