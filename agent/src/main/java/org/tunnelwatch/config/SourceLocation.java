package org.tunnelwatch.config;

/** A line and column (both counted from 1) in a configuration file. */
public record SourceLocation(int line, int column) {

  static final SourceLocation UNKNOWN = new SourceLocation(0, 0);

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
