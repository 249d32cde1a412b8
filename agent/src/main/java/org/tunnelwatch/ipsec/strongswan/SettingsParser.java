package org.tunnelwatch.ipsec.strongswan;

import org.tunnelwatch.ipsec.strongswan.SettingsLexer.Kind;
import org.tunnelwatch.ipsec.strongswan.SettingsLexer.Token;

/**
 * Builds the settings tree from the tokens, by charon's grammar (settings_parser.y):
 *
 * <pre>
 * statements := (section | setting)*
 * section    := NAME [':' NAME (',' NAME)*] '{' statements '}'
 * setting    := NAME '=' [value]
 * </pre>
 *
 * A section that is opened again extends the one before; a key set again replaces its value.
 */
final class SettingsParser {

  /** Deeper nesting is no real configuration, and each level costs a stack frame. */
  static final int MAX_NESTING = 64;

  private final SettingsLexer lexer;

  SettingsParser(SettingsLexer lexer) {
    this.lexer = lexer;
  }

  Section parse() throws StrongswanSettingsException {
    Section top = new Section("");
    statements(top, null, 0);
    return top;
  }

  /** Reads statements into {@code section} up to its {@code }} (or the end, for the top). */
  private void statements(Section section, Token opened, int depth) throws StrongswanSettingsException {
    while (true) {
      Token token = lexer.next();
      switch (token.kind()) {
        case NAME -> statement(section, token, depth);
        case CLOSE -> {
          if (opened == null) {
            throw error(token, "'}' without a section to close");
          }
          return;
        }
        case EOF -> {
          if (opened != null) {
            throw error(token, "section \"" + opened.text() + "\" opened at " + opened.where() + " is not closed");
          }
          return;
        }
        default -> throw error(token, "a key or a section name belongs here, found " + token.shown());
      }
    }
  }

  private void statement(Section section, Token name, int depth) throws StrongswanSettingsException {
    Token token = lexer.next();
    switch (token.kind()) {
      case EQUALS -> section.set(name.text(), lexer.readValue(), name.file(), name.line());
      case OPEN -> statements(open(section, name, depth), name, depth + 1);
      case COLON -> {
        Section child = open(section, name, depth);
        lexer.readReferences().forEach(child::addReference);
        Token brace = lexer.next();
        if (brace.kind() != Kind.OPEN) {
          throw error(brace, "'{' belongs after the sections that \"" + name.text() + "\" inherits from, found " + brace.shown());
        }
        statements(child, name, depth + 1);
      }
      default ->
          throw error(
              token,
              "'=', '{' or ':' belongs after \""
                  + name.text()
                  + "\", found "
                  + token.shown()
                  + (token.kind() == Kind.DOT ? " (a key cannot hold a dot: write the sections out)" : ""));
    }
  }

  private static Section open(Section section, Token name, int depth) throws StrongswanSettingsException {
    if (depth >= MAX_NESTING) {
      throw error(name, "sections nested more than " + MAX_NESTING + " deep");
    }
    return section.open(name.text(), name.file(), name.line());
  }

  private static StrongswanSettingsException error(Token token, String message) {
    return new StrongswanSettingsException(token.where() + ": " + message);
  }
}
