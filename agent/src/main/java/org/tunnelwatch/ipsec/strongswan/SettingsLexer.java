package org.tunnelwatch.ipsec.strongswan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Cuts strongswan.conf into tokens as charon's flex scanner (settings_lexer.l) does, and follows
 * {@code include} the way it does: the included files' tokens take the place of the statement,
 * so what they hold lands in the section the statement is in, and the files a pattern matches
 * are read one after another in sorted order.
 *
 * <p>Keys and section names are runs of anything but {@code # { } : . , = "}, blanks and line
 * ends. Values (after {@code =}) run to the end of the line, a {@code #} or a {@code }}; their
 * parts are joined by one space, and a part in double quotes may hold any of those and span
 * lines, with {@code \n}, {@code \r}, {@code \t}, a backslash before a line end (the lines are
 * joined) and a backslash before anything else (that character). The lexer keeps its own
 * includes bounded: no file twice on the chain of includes, at most {@link #MAX_DEPTH} deep.
 */
final class SettingsLexer {

  static final int MAX_DEPTH = 10;

  /** The characters a key or section name cannot hold. */
  private static final String NOT_IN_NAME = "#{}:.,=\"\r\n\t ";
  /** The characters that end a value part that is not quoted. */
  private static final String NOT_IN_VALUE = "#}\"\r\n\t ";

  enum Kind {
    NAME,
    OPEN,
    CLOSE,
    DOT,
    COMMA,
    COLON,
    EQUALS,
    EOF
  }

  record Token(Kind kind, String text, Path file, int line) {

    String where() {
      return file + ":" + line;
    }

    /** The token as an error message shows it; long names are cut, they may be a stray value. */
    String shown() {
      return switch (kind) {
        case NAME -> "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        case EOF -> "the end of the input";
        default -> "'" + text + "'";
      };
    }
  }

  /** A file being read, with the matches of its current include still to read. */
  private static final class Frame {
    final Path file;
    final Path real;
    final String text;
    int pos;
    int line = 1;
    Iterator<Path> pending = List.<Path>of().iterator();
    String includeAt = "";

    Frame(Path file, Path real, String text) {
      this.file = file;
      this.real = real;
      this.text = text;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    char peek() {
      return text.charAt(pos);
    }
  }

  private final Deque<Frame> frames = new ArrayDeque<>();
  private final SettingsFiles files;
  private Path lastFile;
  private int lastLine;

  private SettingsLexer(SettingsFiles files) {
    this.files = files;
  }

  /** A lexer at the start of {@code file} (absolute), which must be a readable regular file. */
  static SettingsLexer open(Path file, SettingsFiles files) throws StrongswanSettingsException {
    SettingsLexer lexer = new SettingsLexer(files);
    String text = files.read(file, "", false).orElseThrow();
    lexer.frames.push(new Frame(file, realPath(file), text));
    lexer.lastFile = file;
    return lexer;
  }

  /** The next token outside values and references; includes are followed on the way. */
  Token next() throws StrongswanSettingsException {
    while (true) {
      Frame f = frames.peek();
      if (f == null) {
        return new Token(Kind.EOF, "", lastFile, lastLine);
      }
      if (f.atEnd()) {
        endOfFile();
        continue;
      }
      char c = f.peek();
      switch (c) {
        case ' ', '\t', '\r' -> f.pos++;
        case '\n' -> {
          f.pos++;
          f.line++;
        }
        case '#' -> skipComment(f);
        case '{' -> {
          return single(f, Kind.OPEN);
        }
        case '}' -> {
          return single(f, Kind.CLOSE);
        }
        case '.' -> {
          return single(f, Kind.DOT);
        }
        case ',' -> {
          return single(f, Kind.COMMA);
        }
        case ':' -> {
          return single(f, Kind.COLON);
        }
        case '=' -> {
          return single(f, Kind.EQUALS);
        }
        case '"' -> throw error(f, "a quoted string where a key or section name belongs (only values may be quoted)");
        default -> {
          if (atInclude(f)) {
            include(f);
          } else {
            int start = f.pos;
            while (!f.atEnd() && NOT_IN_NAME.indexOf(f.peek()) < 0) {
              f.pos++;
            }
            return new Token(Kind.NAME, f.text.substring(start, f.pos), f.file, f.line);
          }
        }
      }
    }
  }

  /**
   * The value after an {@code =} just returned by {@link #next}, or null when there is none
   * ({@code key =}), which is not the same as {@code key = ""}.
   */
  String readValue() throws StrongswanSettingsException {
    Frame f = frames.element();
    List<String> parts = new ArrayList<>();
    while (!f.atEnd()) {
      char c = f.peek();
      if (c == ' ' || c == '\t' || c == '\r') {
        f.pos++;
      } else if (c == '\n' || c == '#' || c == '}') {
        break; // left for next(): the line count, a comment, the end of the section
      } else if (c == '"') {
        f.pos++;
        parts.add(quoted(f));
      } else {
        int start = f.pos;
        while (!f.atEnd() && NOT_IN_VALUE.indexOf(f.peek()) < 0) {
          f.pos++;
        }
        parts.add(f.text.substring(start, f.pos));
      }
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  /** The section names after a {@code :} just returned by {@link #next}: {@code a, b.c}. */
  List<String> readReferences() throws StrongswanSettingsException {
    Frame f = frames.element();
    List<String> names = new ArrayList<>();
    while (true) {
      skipBlankLines(f);
      int start = f.pos;
      while (!f.atEnd() && (f.peek() == '.' || NOT_IN_NAME.indexOf(f.peek()) < 0)) {
        f.pos++;
      }
      String name = f.text.substring(start, f.pos);
      if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
        throw error(f, "a section name to inherit from belongs after ':'" + (name.isEmpty() ? "" : ", found \"" + name + "\""));
      }
      names.add(name);
      skipBlankLines(f);
      if (f.atEnd() || f.peek() != ',') {
        return names;
      }
      f.pos++;
    }
  }

  private Token single(Frame f, Kind kind) {
    f.pos++;
    return new Token(kind, String.valueOf(f.text.charAt(f.pos - 1)), f.file, f.line);
  }

  private static void skipComment(Frame f) {
    while (!f.atEnd() && f.peek() != '\n') {
      f.pos++;
    }
  }

  private static void skipBlankLines(Frame f) {
    while (!f.atEnd()) {
      char c = f.peek();
      if (c == '#') {
        skipComment(f);
      } else if (c == '\n') {
        f.pos++;
        f.line++;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        f.pos++;
      } else {
        return;
      }
    }
  }

  /** {@code include} followed by blanks and something other than {@code =} (else it is a key). */
  private static boolean atInclude(Frame f) {
    if (!f.text.startsWith("include", f.pos)) {
      return false;
    }
    int i = f.pos + "include".length();
    int blanks = i;
    while (i < f.text.length() && (f.text.charAt(i) == ' ' || f.text.charAt(i) == '\t')) {
      i++;
    }
    return i > blanks && i < f.text.length() && f.text.charAt(i) != '=';
  }

  /** Reads the pattern of the include at {@code f.pos} and starts on the first file it matches. */
  private void include(Frame f) throws StrongswanSettingsException {
    int line = f.line;
    f.pos += "include".length();
    while (f.peek() == ' ' || f.peek() == '\t') {
      f.pos++;
    }
    StringBuilder pattern = new StringBuilder();
    while (!f.atEnd()) {
      char c = f.peek();
      if (c == '#' || c == '}' || c == '\n' || c == '\t' || c == ' ') {
        break;
      }
      f.pos++;
      if (c == '"') {
        pattern.append(quoted(f)); // the closing quote ends the pattern
        break;
      } else if (c == '\\' && !f.atEnd() && "\"#} ".indexOf(f.peek()) >= 0) {
        pattern.append(f.text.charAt(f.pos++));
      } else if (c != '\r') {
        pattern.append(c);
      }
    }
    if (pattern.isEmpty()) {
      return; // charon ignores an include without a pattern
    }
    String at = f.file + ":" + line + ": include " + pattern + ": ";
    String absolute = pattern.charAt(0) == '/' ? pattern.toString() : f.file.getParent() + "/" + pattern;
    try {
      f.pending = Glob.expand(absolute).iterator();
    } catch (IOException e) {
      throw new StrongswanSettingsException(at + e.getMessage());
    }
    f.includeAt = at;
    openNext(f);
  }

  /** Starts reading the next file that the current include of {@code includer} matched, if any. */
  private void openNext(Frame includer) throws StrongswanSettingsException {
    while (includer.pending.hasNext()) {
      Path file = includer.pending.next();
      Path real = realPath(file);
      for (Frame open : frames) {
        if (open.real.equals(real)) {
          throw new StrongswanSettingsException(includer.includeAt + "include loop: " + loop(open, file));
        }
      }
      if (frames.size() > MAX_DEPTH) {
        throw new StrongswanSettingsException(
            includer.includeAt + "includes nested more than " + MAX_DEPTH + " deep, " + file + " not read");
      }
      Optional<String> text = files.read(file, includer.includeAt, true);
      if (text.isPresent()) {
        frames.push(new Frame(file, real, text.get()));
        return;
      }
    }
  }

  /** {@code a -> b -> a}: the chain from the file that is included again down to it. */
  private String loop(Frame from, Path again) {
    List<String> chain = new ArrayList<>();
    Iterator<Frame> outward = frames.descendingIterator(); // from the top-level file inward
    boolean on = false;
    while (outward.hasNext()) {
      Frame frame = outward.next();
      on |= frame == from;
      if (on) {
        chain.add(frame.file.toString());
      }
    }
    chain.add(again.toString());
    return String.join(" -> ", chain);
  }

  private void endOfFile() throws StrongswanSettingsException {
    Frame done = frames.pop();
    lastFile = done.file;
    // The end of the file is on its last line, not on the empty one after its last line end.
    lastLine = done.text.endsWith("\n") && done.line > 1 ? done.line - 1 : done.line;
    Frame includer = frames.peek();
    if (includer != null) {
      openNext(includer);
    }
  }

  /**
   * A quoted string after its opening quote, up to and without the closing one: escapes resolved,
   * carriage returns dropped, line ends kept.
   */
  private static String quoted(Frame f) throws StrongswanSettingsException {
    int startLine = f.line;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (f.atEnd()) {
        throw new StrongswanSettingsException(f.file + ":" + startLine + ": a quoted string is not closed");
      }
      char c = f.text.charAt(f.pos++);
      if (c == '"') {
        return out.toString();
      } else if (c == '\n') {
        f.line++;
        out.append(c);
      } else if (c == '\\') {
        if (f.atEnd()) {
          throw new StrongswanSettingsException(f.file + ":" + startLine + ": a quoted string is not closed");
        }
        char e = f.text.charAt(f.pos++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case '\n' -> f.line++; // the lines are joined
          case '\r' -> {
            if (!f.atEnd() && f.peek() == '\n') {
              f.pos++;
              f.line++;
            } else {
              out.append('\r');
            }
          }
          default -> out.append(e);
        }
      } else if (c != '\r') {
        out.append(c);
      }
    }
  }

  private static StrongswanSettingsException error(Frame f, String message) {
    return new StrongswanSettingsException(f.file + ":" + f.line + ": " + message);
  }

  /** The file's real path, to know it again under another name (a link, a "..") on the chain. */
  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }
}
