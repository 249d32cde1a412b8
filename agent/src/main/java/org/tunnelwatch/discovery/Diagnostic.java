package org.tunnelwatch.discovery;

import org.tunnelwatch.text.Printable;

/**
 * Something discovery noticed in its input: where, how bad, and what. Printed as {@code
 * FILE:LINE: warning: message}, the way compilers do, so that editors can jump to it. A message
 * that would show something looking like key material says so instead ({@link SecretText}): a
 * warning may quote the line it is about, and the line may come from a secrets file.
 *
 * @param file the file as the operator named it (or the source, such as {@code vici}); may be
 *     empty
 * @param line the line, counted from 1; 0 when the problem has no line
 * @param severity whether discovery could go on
 * @param message what was noticed; the text it quotes from the input has its control characters
 *     escaped ({@link Printable}), so that it stays one line and sends nothing to a terminal
 */
public record Diagnostic(String file, int line, Severity severity, String message) {

  /** The secrets guard looks at the text as read; the escaping then keeps it to one line. */
  public Diagnostic {
    file = Printable.escape(file);
    message = Printable.escape(SecretText.guard(message));
  }

  /** How bad a diagnostic is. */
  public enum Severity {
    /** Discovery went on; the operator should look. */
    WARNING,
    /** Something could not be read at all. */
    ERROR;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static Diagnostic warning(Location at, String message) {
    return new Diagnostic(at.file(), at.line(), Severity.WARNING, message);
  }

  static Diagnostic error(Location at, String message) {
    return new Diagnostic(at.file(), at.line(), Severity.ERROR, message);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (!file.isEmpty()) {
      out.append(file);
      if (line > 0) {
        out.append(':').append(line);
      }
      out.append(": ");
    }
    return out.append(severity.word()).append(": ").append(message).toString();
  }

  /**
   * Without repeats, files in the order they were first mentioned, lines in order within each
   * file: the order an operator fixes them in.
   */
  static java.util.List<Diagnostic> inFileOrder(java.util.List<Diagnostic> diagnostics) {
    java.util.List<String> files = new java.util.ArrayList<>();
    for (Diagnostic d : diagnostics) {
      if (!files.contains(d.file())) {
        files.add(d.file());
      }
    }
    java.util.List<Diagnostic> sorted = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(diagnostics));
    sorted.sort(
        java.util.Comparator.comparingInt((Diagnostic d) -> files.indexOf(d.file())).thenComparingInt(Diagnostic::line));
    return java.util.List.copyOf(sorted);
  }
}
