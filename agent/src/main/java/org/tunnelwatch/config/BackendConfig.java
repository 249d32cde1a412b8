package org.tunnelwatch.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent talks to the IPsec daemon.
 *
 * @param type which backend ({@code swanctl} for now)
 * @param swanctl the swanctl program
 * @param uri the daemon's control socket, passed to every swanctl call as {@code --uri}
 * @param restartService the shell command for the last rung of the ladder
 * @param timeout how long one backend command may run before it is killed
 */
public record BackendConfig(
    String type, Path swanctl, String uri, String restartService, Duration timeout) {}
