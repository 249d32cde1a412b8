package org.tunnelwatch.config;

import org.tunnelwatch.text.Printable;

/**
 * One thing wrong with a configuration file: where, which setting, and what rule it breaks.
 * Printed as {@code FILE:LINE:COL: path: message}, always on one line: the values a message
 * quotes come from the file, so control characters in them are escaped ({@link Printable}).
 */
public record ConfigProblem(String file, SourceLocation location, String path, String message) {

  public ConfigProblem {
    file = Printable.escape(file);
    path = Printable.escape(path);
    message = Printable.escape(message);
  }

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
