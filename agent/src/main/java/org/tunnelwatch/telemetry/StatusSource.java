package org.tunnelwatch.telemetry;

/** Where the HTTP endpoints get the current picture from. Called from HTTP threads. */
@FunctionalInterface
public interface StatusSource {
  StatusReport report();
}
