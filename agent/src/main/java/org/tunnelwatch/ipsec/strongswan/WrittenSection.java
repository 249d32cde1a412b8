package org.tunnelwatch.ipsec.strongswan;

import java.nio.file.Path;

/**
 * A section written in a settings file (strongswan.conf, swanctl.conf) and where it was first
 * opened.
 *
 * @param key its dotted path ({@code connections.hq})
 * @param name its own name ({@code hq})
 */
public record WrittenSection(String key, String name, Path file, int line) {}
