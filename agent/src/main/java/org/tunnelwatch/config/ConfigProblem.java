package org.tunnelwatch.config;

/**
 * One thing wrong with a configuration file: where, which setting, and what rule it breaks.
 * Printed as {@code FILE:LINE:COL: path: message}.
 */
public record ConfigProblem(String file, SourceLocation location, String path, String message) {

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(file);
    if (location.line() > 0) {
      out.append(':').append(location.line()).append(':').append(location.column());
    }
    out.append(": ");
    if (!path.isEmpty()) {
      out.append(path).append(": ");
    }
    return out.append(message).toString();
  }
}
