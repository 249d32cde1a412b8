package org.tunnelwatch.text;

/**
 * Text from outside (a configuration value, a line of ipsec.conf, a daemon's reply) made safe to
 * print on one line of a terminal or a log: characters that would end the line, move the cursor,
 * start an escape sequence or reorder what is shown are written as escapes ({@code \n}, {@code
 * \u001b}), the way YAML and JSON write them. Everything else is kept as it is.
 */
public final class Printable {

  private Printable() {}

  public static String escape(String text) {
    if (text.codePoints().noneMatch(Printable::unsafe)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean lone =
          Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)));
      if (Character.isHighSurrogate(c) && !lone) {
        out.append(c).append(text.charAt(++i));
      } else if (lone || unsafe(c)) {
        out.append(switch (c) {
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\t' -> "\\t";
          default -> String.format("\\u%04x", (int) c);
        });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Control characters (C0, DEL, C1), line and paragraph separators, the bidirectional overrides
   * and isolates ("Trojan Source"), and lone surrogates, which no encoder can write.
   */
  private static boolean unsafe(int c) {
    return Character.isISOControl(c)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
  }
}
