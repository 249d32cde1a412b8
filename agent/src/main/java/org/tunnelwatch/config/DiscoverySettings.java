package org.tunnelwatch.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code tunnels: auto} finds the tunnels, from the {@code discovery} section.
 *
 * @param source what to read: {@code ipsec-conf}, or {@code vici} for charon's {@code list-conns}
 * @param ipsecConf the ipsec.conf to read
 * @param local which side of every conn is this host ({@code left} or {@code right}), when the
 *     file alone does not tell
 * @param viciUri charon's socket for {@code vici}: the backend's {@code uri}
 */
public record DiscoverySettings(String source, Path ipsecConf, Optional<String> local, String viciUri) {}
