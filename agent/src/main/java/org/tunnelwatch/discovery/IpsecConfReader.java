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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;

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
 * <p>Nothing here is an error that stops reading except an unreadable top-level file and a tree
 * beyond the bounds of {@link InputLimits} (files, bytes, sections, settings): a line that makes no
 * sense is reported as a warning with its line number and skipped. Each file is read once (by
 * its real path): a file included again, from anywhere, is not read again, so {@code include
 * *.conf} in every file of a folder costs each file once. Secrets files are never read ({@link
 * #isSecrets}). Not thread-safe; use one reader per read.
 */
final class IpsecConfReader {

  private static final int MAX_INCLUDE_DEPTH = 10;
  /** How much of a line a warning shows. */
  private static final int SHOWN_CHARS = 120;
  private static final Pattern SETTING =
      Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)=(\"[^\"]*\"|[^\\s\"]*)(?=\\s|$)");

  private final List<ConfSection> sections = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Deque<Path> including = new ArrayDeque<>();
  private final Set<Path> read = new HashSet<>();
  private long bytesRead;
  private int sectionCount;
  private int settingCount;
  private int warningsLeftOut;

  /** What was read: the sections of all files in order, and what was wrong with them. */
  record Result(List<ConfSection> sections, List<Diagnostic> diagnostics) {}

  /**
   * Reads {@code file} and everything it includes.
   *
   * @param shownAs how messages name the top-level file (as the operator wrote it)
   * @throws DiscoveryException when the top-level file cannot be read
   */
  Result read(Path file, String shownAs) throws DiscoveryException {
    Path real = realPath(file);
    if (isSecrets(file) || isSecrets(real)) {
      // The agent never reads key material (docs/security.md).
      throw new DiscoveryException(shownAs + ": a secrets file" + linkNote(file, real) + "; not read");
    }
    String text;
    try {
      text = load(file, real);
    } catch (NoSuchFileException e) {
      throw new DiscoveryException(shownAs + ": no such file");
    } catch (RefusedInputException e) {
      throw new DiscoveryException(shownAs + ": " + e.getMessage());
    } catch (IOException e) {
      throw new DiscoveryException(shownAs + ": cannot read: " + e.getMessage());
    }
    readText(file, shownAs, text);
    if (warningsLeftOut > 0) {
      diagnostics.add(
          Diagnostic.warning(new Location(shownAs, 0), warningsLeftOut + " more warning(s) not shown (at most " + InputLimits.IPSEC_CONF_WARNINGS + ")"));
    }
    return new Result(List.copyOf(sections), List.copyOf(diagnostics));
  }

  /** Reads one file of the tree, counting it against the tree's bounds. */
  private String load(Path file, Path real) throws IOException, DiscoveryException {
    if (read.size() >= InputLimits.IPSEC_CONF_FILES) {
      throw new DiscoveryException(file + ": more than " + InputLimits.IPSEC_CONF_FILES + " files to read; not read");
    }
    byte[] bytes = BoundedFiles.read(file, InputLimits.IPSEC_CONF_FILE_BYTES);
    read.add(real);
    bytesRead += bytes.length;
    if (bytesRead > InputLimits.IPSEC_CONF_TOTAL_BYTES) {
      throw new DiscoveryException(
          file + ": the files read so far hold more than " + InputLimits.describe(InputLimits.IPSEC_CONF_TOTAL_BYTES) + "; not read");
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private void readText(Path file, String shownAs, String text) throws DiscoveryException {
    including.push(realPath(file));
    SectionBuilder current = null;
    // Line by line rather than split all at once: a megabyte of one-character lines would be
    // half a million strings at the same time.
    int lineNumber = 0;
    for (int start = 0; start <= text.length(); ) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline;
      String raw = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      start = end + 1;
      Location at = new Location(shownAs, ++lineNumber);
      String line = stripComment(raw);
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
          warn(at, "setting at the start of the line (settings must be indented); read as part of " + current.describe());
          settings(line, at, current);
          continue;
        }
        warn(at, shown(line) + " is not a section, include or setting; ignored");
        continue;
      }
      if (current == null) {
        warn(at, "setting outside any section; ignored");
        continue;
      }
      settings(line, at, current);
    }
    finish(current);
    including.pop();
  }

  private SectionBuilder header(String[] words, Location at) throws DiscoveryException {
    if (++sectionCount > InputLimits.IPSEC_CONF_SECTIONS) {
      throw new DiscoveryException(at + ": more than " + InputLimits.IPSEC_CONF_SECTIONS + " sections; not read");
    }
    if (words[0].equals("config")) {
      if (words.length != 2 || !words[1].equals("setup")) {
        warn(at, "expected \"config setup\", found " + shown(String.join(" ", words)));
      }
      return new SectionBuilder(ConfSection.Kind.CONFIG, "setup", at);
    }
    if (words.length < 2) {
      warn(at, "conn without a name; its settings are ignored");
      return new SectionBuilder(ConfSection.Kind.CONN, null, at);
    }
    if (words.length > 2) {
      warn(at, "conn names cannot contain blanks; read as " + shown(words[1]) + ", the rest of the line is ignored");
    }
    return new SectionBuilder(ConfSection.Kind.CONN, words[1], at);
  }

  private void settings(String line, Location at, SectionBuilder section) throws DiscoveryException {
    String rest = line.strip();
    Matcher m = SETTING.matcher(rest);
    int pos = 0;
    List<ConfSetting> found = new ArrayList<>();
    while (pos < rest.length()) {
      m.region(pos, rest.length());
      if (!m.lookingAt()) {
        warn(at, shown(rest) + " is not keyword=value; ignored");
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
    settingCount += found.size();
    if (settingCount > InputLimits.IPSEC_CONF_SETTINGS) {
      throw new DiscoveryException(at + ": more than " + InputLimits.IPSEC_CONF_SETTINGS + " settings; not read");
    }
    for (ConfSetting setting : found) {
      section.add(setting, this::warn);
    }
  }

  private void include(Path from, String[] words, Location at) throws DiscoveryException {
    if (words.length != 2) {
      warn(at, "include needs exactly one file name or pattern");
      return;
    }
    if (including.size() >= MAX_INCLUDE_DEPTH) {
      warn(at, "include nested more than " + MAX_INCLUDE_DEPTH + " deep; not followed");
      return;
    }
    Path base = from.toAbsolutePath().getParent();
    Path pattern = base.resolve(words[1]).normalize();
    List<Path> files;
    try {
      files = matches(pattern);
    } catch (IOException e) {
      warn(at, "include " + words[1] + ": cannot read " + e.getMessage());
      return;
    } catch (PatternSyntaxException e) {
      // Its message spans three lines (pattern, caret); the description alone says what is wrong.
      warn(at, "include " + words[1] + ": not a valid pattern: " + e.getDescription());
      return;
    } catch (IllegalArgumentException e) {
      warn(at, "include " + words[1] + ": " + e.getMessage());
      return;
    }
    if (files.isEmpty() && !hasWildcard(words[1])) {
      warn(at, "include " + words[1] + ": no such file");
    }
    // A pattern that matches files read before (the including file among them, as *.conf in
    // a folder does) gets one warning for them all, not one per file and level.
    List<String> again = new ArrayList<>();
    for (Path file : files) {
      Path real = realPath(file);
      if (isSecrets(file) || isSecrets(real)) {
        // The agent never reads key material, whatever ipsec.conf includes (docs/security.md).
        warn(at, "include " + file + ": a secrets file" + linkNote(file, real) + "; not read");
        continue;
      }
      if (including.contains(real) && !hasWildcard(words[1])) {
        warn(at, "include " + file + " includes itself (through " + including.size() + " file(s)); not followed");
        continue;
      }
      if (read.contains(real)) {
        again.add(file.getFileName().toString());
        continue;
      }
      try {
        readText(file, file.toString(), load(file, real));
      } catch (NoSuchFileException e) {
        warn(at, "include " + file + ": no such file");
      } catch (IOException e) {
        warn(at, "include " + file + ": " + (e instanceof RefusedInputException ? "" : "cannot read: ") + e.getMessage());
      }
    }
    if (!again.isEmpty()) {
      warn(at, "include " + words[1] + ": " + again.size() + " file(s) read before, not read again: " + firstFew(again));
    }
  }

  private static String firstFew(List<String> names) {
    return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
  }

  private static String linkNote(Path file, Path real) {
    return real.equals(file.toAbsolutePath().normalize()) ? "" : " (a link to " + real + ")";
  }

  /** Keeps a warning, up to {@link InputLimits#IPSEC_CONF_WARNINGS}; counts the rest. */
  private void warn(Location at, String message) {
    if (diagnostics.size() < InputLimits.IPSEC_CONF_WARNINGS) {
      diagnostics.add(Diagnostic.warning(at, message));
    } else {
      warningsLeftOut++;
    }
  }

  /** Text from the file, quoted and cut short for a warning. */
  private static String shown(String text) {
    String stripped = text.strip();
    return "\"" + (stripped.length() > SHOWN_CHARS ? stripped.substring(0, SHOWN_CHARS) + "..." : stripped) + "\"";
  }

  /**
   * Whether {@code file} is a secrets file by its name or place: {@code ipsec.secrets}, {@code
   * *.secrets}, {@code *.secrets.inc}, anything in a folder named {@code private} (where
   * Libreswan, strongSwan and swanctl keep private keys) and {@code swanctl.conf}, which holds
   * swanctl's {@code secrets} section. Ask about both the name a file was reached by and its real
   * path: a link may hide either.
   */
  static boolean isSecrets(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return false;
    }
    String n = name.toString();
    if (n.endsWith(".secrets") || n.endsWith(".secrets.inc") || n.equals("ipsec.secrets") || n.equals("swanctl.conf")) {
      return true;
    }
    for (Path part : file.toAbsolutePath().normalize()) {
      if (part.toString().equals("private")) {
        return true;
      }
    }
    return false;
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
      // Anything but a folder is returned, so that a FIFO or a device is refused by name.
      return Files.exists(pattern) && !Files.isDirectory(pattern) ? List.of(pattern) : List.of();
    }
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, name)) {
      for (Path p : stream) {
        if (!Files.isDirectory(p)) {
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

    void add(ConfSetting setting, BiConsumer<Location, String> warn) {
      // also= may be repeated: each names more conns to pull in.
      for (ConfSetting earlier : setting.key().equals("also") ? List.<ConfSetting>of() : settings) {
        if (earlier.key().equals(setting.key())) {
          warn.accept(
              setting.location(),
              setting.key() + " is set twice in " + describe() + " (first at line " + earlier.location().line() + "); the first value is used");
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
