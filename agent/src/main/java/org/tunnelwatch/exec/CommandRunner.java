package org.tunnelwatch.exec;

import java.time.Duration;
import java.util.List;

/**
 * Runs external programs. The boundary behind which ping, swanctl and the restart command live,
 * so that parsers and backends are tested on recorded output.
 */
public interface CommandRunner {

  /**
   * Runs {@code argv} (no shell) and waits at most {@code timeout}. Never throws for a failing,
   * missing or hanging program: those are results.
   */
  CommandResult run(List<String> argv, Duration timeout);
}
