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

  /** File by file, line by line: the order a reader of the files expects. */
  public static final java.util.Comparator<LivenessWarning> IN_FILE_ORDER =
      java.util.Comparator.comparing(LivenessWarning::file).thenComparingInt(LivenessWarning::line);

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
