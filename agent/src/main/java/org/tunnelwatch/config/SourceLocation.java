package org.tunnelwatch.config;

/** A line and column (both counted from 1) in a configuration file. */
public record SourceLocation(int line, int column) {

  static final SourceLocation UNKNOWN = new SourceLocation(0, 0);

  /**
   * Where the character after {@code before} is, {@code before} being the text from the start of
   * the file: columns count characters (code points), lines end at LF, CR LF or a lone CR, as in
   * YAML's own marks.
   */
  static SourceLocation after(CharSequence before) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < before.length(); i++) {
      char c = before.charAt(i);
      boolean crOfCrLf = c == '\r' && i + 1 < before.length() && before.charAt(i + 1) == '\n';
      if (c == '\n' || (c == '\r' && !crOfCrLf)) {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(c) && !crOfCrLf) {
        column++;
      }
    }
    return new SourceLocation(line, column);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
