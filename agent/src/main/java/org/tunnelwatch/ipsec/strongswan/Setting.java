package org.tunnelwatch.ipsec.strongswan;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * One value from strongswan.conf and where it was written.
 *
 * @param key the dotted key where the value was found, which after a fallback or a section
 *     reference is not the key that was asked for ({@code charon.make_before_break} for {@code
 *     charon-systemd.make_before_break})
 * @param value the value as charon sees it: quotes and escapes resolved, parts joined by one space
 * @param file the file that holds the assignment, as reached through the includes
 * @param line the line of the key in that file
 */
public record Setting(String key, String value, Path file, int line) {

  /**
   * The value as strongSwan's boolean: yes, true, enabled and 1 are true; no, false, disabled and
   * 0 are false, in any case. Charon quietly takes its default for anything else; here that is an
   * error, because a typo would otherwise pass for the default.
   */
  public boolean asBoolean() throws StrongswanSettingsException {
    return parseBoolean(value)
        .orElseThrow(
            () ->
                new StrongswanSettingsException(
                    describe() + ": not a strongSwan boolean (yes, no, true, false, enabled, disabled, 1 or 0)"));
  }

  /** strongSwan's booleans (settings_value_as_bool), or empty for anything else. */
  public static Optional<Boolean> parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "1", "yes", "true", "enabled" -> Optional.of(true);
      case "0", "no", "false", "disabled" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** {@code /etc/strongswan.d/charon.conf:12: charon.make_before_break = yes}. */
  public String describe() {
    return file + ":" + line + ": " + key + " = " + value;
  }
}
