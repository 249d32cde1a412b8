package org.tunnelwatch.cli;

import java.util.Optional;
import org.tunnelwatch.logging.LogFormat;
import org.tunnelwatch.logging.LogLevel;
import picocli.CommandLine.Option;

/**
 * The log flags of {@code run}. {@code check-config} takes them too, so that it can be given the
 * same flags as the start ({@code $TUNNELWATCH_OPTS} of /etc/default/tunnelwatch) and refuses a
 * bad value as the start does.
 */
final class LogFlags {

  @Option(names = "--log.level", paramLabel = "LEVEL", description = "the least severe level logged: error, warn, info (default), debug or trace")
  LogLevel level;

  @Option(names = "--log.format", paramLabel = "FORMAT", defaultValue = "logfmt", description = "logfmt (default: LEVEL logger: key=value ...) or json (one object per line)")
  LogFormat format;

  Optional<LogLevel> level() {
    return Optional.ofNullable(level);
  }
}
