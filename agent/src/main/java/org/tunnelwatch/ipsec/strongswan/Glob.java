package org.tunnelwatch.ipsec.strongswan;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Expands an include pattern the way glob(3) does for charon (which passes no flags but
 * GLOB_ERR): {@code *}, {@code ?} and {@code [...]} (with {@code !} or {@code ^} for "not") in
 * any part of the path, a backslash takes the next character literally, a name that starts with
 * a dot is matched only by a part that starts with one, the result is sorted, and a pattern that
 * matches nothing gives nothing. Braces and {@code ~} are not special, as without GLOB_BRACE and
 * GLOB_TILDE.
 */
final class Glob {

  /** A pattern like {@code /*}{@code /*}{@code /*} must not walk the whole disk. */
  static final int MAX_PATHS = 4096;

  private Glob() {}

  private static final class TooManyPaths extends IOException {
    TooManyPaths() {
      super("matches more than " + MAX_PATHS + " paths");
    }
  }

  /**
   * The existing paths that {@code pattern} (an absolute one) matches, in byte order of their
   * names as glob(3) sorts them in the C locale.
   *
   * @throws IOException when a folder the pattern must search cannot be listed (GLOB_ERR), or
   *     the pattern reaches more than {@link #MAX_PATHS} paths
   */
  static List<Path> expand(String pattern) throws IOException {
    List<String> current = List.of(pattern.startsWith("/") ? "/" : "");
    for (String part : pattern.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      List<String> next = new ArrayList<>();
      if (!hasWildcard(part)) {
        String literal = unescape(part);
        current.forEach(base -> next.add(join(base, literal)));
      } else {
        Pattern regex = toRegex(part);
        boolean dotted = part.startsWith(".");
        for (String base : current) {
          Path dir = Path.of(base.isEmpty() ? "." : base);
          if (!Files.isDirectory(dir)) {
            continue;
          }
          try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
              String name = entry.getFileName().toString();
              if ((dotted || !name.startsWith(".")) && regex.matcher(name).matches()) {
                next.add(join(base, name));
                if (next.size() > MAX_PATHS) {
                  throw new TooManyPaths();
                }
              }
            }
          } catch (TooManyPaths e) {
            throw e;
          } catch (IOException e) {
            throw new IOException("cannot list " + dir + ": " + reason(e));
          }
        }
      }
      current = next;
    }
    // A literal path is matched only when it exists; a dangling symbolic link does not count,
    // as charon could not open it either.
    return current.stream().filter(p -> !p.isEmpty()).sorted().map(Path::of).filter(Files::exists).toList();
  }

  static String reason(IOException e) {
    String name = e.getClass().getSimpleName();
    return switch (name) {
      case "NoSuchFileException" -> "no such file";
      case "AccessDeniedException" -> "permission denied";
      case "NotDirectoryException" -> "not a directory";
      default -> e.getMessage() == null ? name : e.getMessage();
    };
  }

  private static String join(String base, String name) {
    return base.isEmpty() ? name : base.endsWith("/") ? base + name : base + "/" + name;
  }

  private static boolean hasWildcard(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String part) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\' && i + 1 < part.length()) {
        c = part.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  private static Pattern toRegex(String part) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\' && i + 1 < part.length()) {
        regex.append(Pattern.quote(String.valueOf(part.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else if (c == '[' && bracketEnd(part, i) > 0) {
        int end = bracketEnd(part, i);
        regex.append(bracket(part.substring(i + 1, end)));
        i = end;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** The index of the {@code ]} that closes the bracket at {@code open}, or -1: then it is literal. */
  private static int bracketEnd(String part, int open) {
    int i = open + 1;
    if (i < part.length() && (part.charAt(i) == '!' || part.charAt(i) == '^')) {
      i++;
    }
    if (i < part.length() && part.charAt(i) == ']') {
      i++; // a ] right after the opening is one of the characters
    }
    for (; i < part.length(); i++) {
      if (part.charAt(i) == ']') {
        return i;
      }
    }
    return -1;
  }

  private static String bracket(String inside) {
    StringBuilder set = new StringBuilder("[");
    int i = 0;
    if (!inside.isEmpty() && (inside.charAt(0) == '!' || inside.charAt(0) == '^')) {
      set.append('^');
      i = 1;
    }
    for (; i < inside.length(); i++) {
      char c = inside.charAt(i);
      boolean range = c != '-' && i + 2 < inside.length() && inside.charAt(i + 1) == '-';
      set.append(classChar(c));
      if (range) {
        set.append('-').append(classChar(inside.charAt(i + 2)));
        i += 2;
      }
    }
    return set.append(']').toString();
  }

  private static String classChar(char c) {
    return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
  }
}
