package org.tunnelwatch.lint;

import org.tunnelwatch.text.Printable;

/**
 * One finding of {@code tunnelwatch check-ipsec}, printed as {@code FILE:LINE: warning: MESSAGE
 * [RULE]} the way compilers do, so that editors jump to it.
 *
 * @param rule which rule
 * @param file the file holding the setting, or the connection when the setting is missing
 * @param line its line, 0 when there is none
 * @param connection the connection (swanctl) or conn (ipsec.conf) it is about; empty for a
 *     daemon-wide setting
 * @param message what is wrong and what to do, in one line
 */
public record LivenessWarning(LivenessRule rule, String file, int line, String connection, String message) {

  public LivenessWarning {
    file = Printable.escape(file);
    connection = Printable.escape(connection);
    message = Printable.escape(message);
  }

  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line : file;
    String about = connection.isEmpty() ? "" : connection + ": ";
    return where + ": warning: " + about + message + " [" + rule.configName() + "]";
  }
}
