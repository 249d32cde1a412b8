package org.tunnelwatch.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads an ipsec.conf in the FreeS/WAN, Openswan and Libreswan syntax into its sections,
 * following {@code include}. Syntax only: what the settings mean is for {@link ConnResolver}.
 *
 * <p>The syntax: a line that starts at column 0 opens a section ({@code config setup}, {@code
 * conn NAME}) or is a statement ({@code include PATTERN}, {@code version N}); indented lines hold
 * {@code keyword=value} pairs (no blanks around {@code =}; a value with blanks is quoted). {@code
 * #} starts a comment outside quotes. Include patterns are relative to the including file's
 * folder and may use wildcards in their last part; matches are read in name order, as glob(3)
 * returns them.
 *
 * <p>Nothing here is an error that stops reading except an unreadable top-level file: a line that
 * makes no sense is reported as a warning with its line number and skipped. Not thread-safe; use
 * one reader per read.
 */
final class IpsecConfReader {

  private static final long MAX_BYTES = 1L << 20;
  private static final int MAX_INCLUDE_DEPTH = 10;
  private static final Pattern SETTING =
      Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)=(\"[^\"]*\"|[^\\s\"]*)(?=\\s|$)");

  private final List<ConfSection> sections = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Deque<Path> including = new ArrayDeque<>();

  /** What was read: the sections of all files in order, and what was wrong with them. */
  record Result(List<ConfSection> sections, List<Diagnostic> diagnostics) {}

  /**
   * Reads {@code file} and everything it includes.
   *
   * @param shownAs how messages name the top-level file (as the operator wrote it)
   * @throws DiscoveryException when the top-level file cannot be read
   */
  Result read(Path file, String shownAs) throws DiscoveryException {
    String text;
    try {
      text = readText(file);
    } catch (NoSuchFileException e) {
      throw new DiscoveryException(shownAs + ": no such file");
    } catch (IOException e) {
      throw new DiscoveryException(shownAs + ": cannot read: " + e.getMessage());
    }
    readText(file, shownAs, text);
    return new Result(List.copyOf(sections), List.copyOf(diagnostics));
  }

  private static String readText(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException("is a directory");
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB");
    }
    return Files.readString(file, StandardCharsets.ISO_8859_1);
  }

  private void readText(Path file, String shownAs, String text) {
    including.push(realPath(file));
    SectionBuilder current = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Location at = new Location(shownAs, i + 1);
      String line = stripComment(lines[i]);
      if (line.isBlank()) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        String[] words = line.strip().split("\\s+");
        String keyword = words[0];
        if (keyword.equals("conn") || keyword.equals("config")) {
          finish(current);
          current = header(words, at);
          continue;
        }
        if (keyword.equals("include")) {
          finish(current);
          current = null;
          include(file, words, at);
          continue;
        }
        if (keyword.equals("version")) {
          continue;
        }
        if (SETTING.matcher(line.strip()).lookingAt() && current != null) {
          diagnostics.add(
              Diagnostic.warning(
                  at, "setting at the start of the line (settings must be indented); read as part of "
                      + current.describe()));
          settings(line, at, current);
          continue;
        }
        diagnostics.add(Diagnostic.warning(at, "\"" + line.strip() + "\" is not a section, include or setting; ignored"));
        continue;
      }
      if (current == null) {
        diagnostics.add(Diagnostic.warning(at, "setting outside any section; ignored"));
        continue;
      }
      settings(line, at, current);
    }
    finish(current);
    including.pop();
  }

  private SectionBuilder header(String[] words, Location at) {
    if (words[0].equals("config")) {
      if (words.length != 2 || !words[1].equals("setup")) {
        diagnostics.add(Diagnostic.warning(at, "expected \"config setup\", found \"" + String.join(" ", words) + "\""));
      }
      return new SectionBuilder(ConfSection.Kind.CONFIG, "setup", at);
    }
    if (words.length < 2) {
      diagnostics.add(Diagnostic.warning(at, "conn without a name; its settings are ignored"));
      return new SectionBuilder(ConfSection.Kind.CONN, null, at);
    }
    if (words.length > 2) {
      diagnostics.add(
          Diagnostic.warning(at, "conn names cannot contain blanks; read as \"" + words[1] + "\", the rest of the line is ignored"));
    }
    return new SectionBuilder(ConfSection.Kind.CONN, words[1], at);
  }

  private void settings(String line, Location at, SectionBuilder section) {
    String rest = line.strip();
    Matcher m = SETTING.matcher(rest);
    int pos = 0;
    List<ConfSetting> found = new ArrayList<>();
    while (pos < rest.length()) {
      m.region(pos, rest.length());
      if (!m.lookingAt()) {
        diagnostics.add(Diagnostic.warning(at, "\"" + rest + "\" is not keyword=value; ignored"));
        return;
      }
      String value = m.group(2);
      if (value.startsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      found.add(new ConfSetting(m.group(1), value, at));
      pos = m.end();
      while (pos < rest.length() && Character.isWhitespace(rest.charAt(pos))) {
        pos++;
      }
    }
    for (ConfSetting setting : found) {
      section.add(setting, diagnostics);
    }
  }

  private void include(Path from, String[] words, Location at) {
    if (words.length != 2) {
      diagnostics.add(Diagnostic.warning(at, "include needs exactly one file name or pattern"));
      return;
    }
    if (including.size() >= MAX_INCLUDE_DEPTH) {
      diagnostics.add(Diagnostic.warning(at, "include nested more than " + MAX_INCLUDE_DEPTH + " deep; not followed"));
      return;
    }
    Path base = from.toAbsolutePath().getParent();
    Path pattern = base.resolve(words[1]).normalize();
    List<Path> files;
    try {
      files = matches(pattern);
    } catch (IOException e) {
      diagnostics.add(Diagnostic.warning(at, "include " + words[1] + ": cannot read " + e.getMessage()));
      return;
    } catch (PatternSyntaxException e) {
      // Its message spans three lines (pattern, caret); the description alone says what is wrong.
      diagnostics.add(Diagnostic.warning(at, "include " + words[1] + ": not a valid pattern: " + e.getDescription()));
      return;
    } catch (IllegalArgumentException e) {
      diagnostics.add(Diagnostic.warning(at, "include " + words[1] + ": " + e.getMessage()));
      return;
    }
    if (files.isEmpty() && !hasWildcard(words[1])) {
      diagnostics.add(Diagnostic.warning(at, "include " + words[1] + ": no such file"));
    }
    for (Path file : files) {
      if (isSecrets(file)) {
        // The agent never reads key material, whatever ipsec.conf includes (docs/security.md).
        diagnostics.add(Diagnostic.warning(at, "include " + file + ": a secrets file; not read"));
        continue;
      }
      if (including.contains(realPath(file))) {
        diagnostics.add(Diagnostic.warning(at, "include " + file + " includes itself (through " + including.size() + " file(s)); not followed"));
        continue;
      }
      try {
        readText(file, file.toString(), readText(file));
      } catch (IOException e) {
        diagnostics.add(Diagnostic.warning(at, "include " + file + ": cannot read: " + e.getMessage()));
      }
    }
  }

  /**
   * Whether {@code file} looks like a secrets file ({@code ipsec.secrets}, {@code *.secrets},
   * {@code *.secrets.inc}): those hold pre-shared keys and private key passwords, and ipsec.conf
   * never needs them.
   */
  static boolean isSecrets(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".secrets") || name.endsWith(".secrets.inc") || name.equals("ipsec.secrets");
  }

  /** The files a pattern names, in name order; wildcards are allowed in the last part only. */
  private static List<Path> matches(Path pattern) throws IOException {
    if (pattern.getFileName() == null) {
      return List.of(); // the root folder: not a file
    }
    Path dir = pattern.getParent();
    String name = pattern.getFileName().toString();
    if (hasWildcard(dir.toString())) {
      throw new IllegalArgumentException("wildcards are supported in the file name only");
    }
    if (!hasWildcard(name)) {
      return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
    }
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, name)) {
      for (Path p : stream) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    return files;
  }

  private static boolean hasWildcard(String s) {
    return s.contains("*") || s.contains("?") || s.contains("[");
  }

  private void finish(SectionBuilder section) {
    if (section != null && section.name != null) {
      sections.add(section.build());
    }
  }

  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  /** The line without its comment: {@code #} outside double quotes starts one. */
  static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** A section being read. A keyword written twice is a mistake; the first value is kept. */
  private static final class SectionBuilder {
    private final ConfSection.Kind kind;
    private final String name;
    private final Location location;
    private final List<ConfSetting> settings = new ArrayList<>();

    SectionBuilder(ConfSection.Kind kind, String name, Location location) {
      this.kind = kind;
      this.name = name;
      this.location = location;
    }

    void add(ConfSetting setting, List<Diagnostic> diagnostics) {
      // also= may be repeated: each names more conns to pull in.
      for (ConfSetting earlier : setting.key().equals("also") ? List.<ConfSetting>of() : settings) {
        if (earlier.key().equals(setting.key())) {
          diagnostics.add(
              Diagnostic.warning(
                  setting.location(),
                  setting.key() + " is set twice in " + describe() + " (first at line " + earlier.location().line() + "); the first value is used"));
          return;
        }
      }
      settings.add(setting);
    }

    String describe() {
      return kind == ConfSection.Kind.CONFIG ? "config setup" : "conn " + name;
    }

    ConfSection build() {
      return new ConfSection(kind, name, location, settings);
    }
  }
}
