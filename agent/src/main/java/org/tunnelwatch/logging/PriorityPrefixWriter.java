package org.tunnelwatch.logging;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Puts a syslog priority prefix ({@code <3>}) at the start of every line written through it, so
 * that what the commands print on stderr (a configuration's problems, a usage error) is stored
 * in the journal with the priority of an error. Not thread-safe; one writer per stream.
 */
public final class PriorityPrefixWriter extends FilterWriter {

  private final String prefix;
  private boolean atLineStart = true;

  private PriorityPrefixWriter(Writer out, String prefix) {
    super(out);
    this.prefix = prefix;
  }

  /** A writer that marks each line as an error ({@code <3>}). */
  public static Writer errors(Writer out) {
    return new PriorityPrefixWriter(out, "<3>");
  }

  @Override
  public void write(int c) throws IOException {
    if (atLineStart) {
      out.write(prefix);
    }
    out.write(c);
    atLineStart = c == '\n';
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      write(chars[i]);
    }
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      write(text.charAt(i));
    }
  }
}
