package org.tunnelwatch.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code tunnels: auto} finds the tunnels, from the {@code discovery} section.
 *
 * @param source what to read
 * @param ipsecConf the ipsec.conf to read
 * @param local which side of every conn is this host, when the
 *     file alone does not tell
 * @param viciUri charon's socket for {@code vici}: the backend's {@code uri}
 */
public record DiscoverySettings(
    DiscoverySource source, Path ipsecConf, Optional<LocalSide> local, String viciUri) {}
