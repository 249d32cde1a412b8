package org.tunnelwatch.exec;

import java.time.Duration;

/**
 * How a command ended.
 *
 * @param exitCode the exit status; meaningless when {@code timedOut}
 * @param stdout standard output, cut at the runner's limit
 * @param stderr standard error, cut at the runner's limit
 * @param timedOut the command was killed at its timeout
 * @param took how long it ran
 * @param stdoutCut standard output was longer than the runner's limit and is cut: a caller that
 *     parses all of it must not take the rest for the whole
 */
public record CommandResult(
    int exitCode, String stdout, String stderr, boolean timedOut, Duration took, boolean stdoutCut) {

  /** A result whose output was not cut. */
  public CommandResult(int exitCode, String stdout, String stderr, boolean timedOut, Duration took) {
    this(exitCode, stdout, stderr, timedOut, took, false);
  }

  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** A one-line account for logs: the exit status and the first line of its complaint. */
  public String summary() {
    if (timedOut) {
      return "killed after timeout of " + took.toMillis() + "ms";
    }
    String said = firstLine(stderr.isBlank() ? stdout : stderr);
    return "exit " + exitCode + (said.isEmpty() ? "" : ": " + said);
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.indexOf('\n');
    String line = newline < 0 ? trimmed : trimmed.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
