package org.tunnelwatch.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether this process's stderr is connected to the systemd journal. systemd sets {@code
 * JOURNAL_STREAM=DEVICE:INODE} for a service whose output goes to the journal; the variable is
 * inherited by whatever the service starts, so it counts only while stderr still is that stream
 * (the same socket inode), as sd_journal_stream_fd(3) advises.
 */
public final class JournalStream {

  private JournalStream() {}

  /** Whether stderr of this process is the journal stream systemd gave the service. */
  public static boolean stderrIsJournal() {
    return isJournal(System.getenv(), stderrTarget());
  }

  /**
   * Whether {@code stderrTarget} (the link text of /proc/self/fd/2, e.g. {@code socket:[4711]})
   * is the stream that {@code JOURNAL_STREAM} in {@code env} names.
   */
  static boolean isJournal(Map<String, String> env, String stderrTarget) {
    String stream = env.get("JOURNAL_STREAM");
    if (stream == null || stderrTarget == null) {
      return false;
    }
    int colon = stream.indexOf(':');
    if (colon <= 0 || colon == stream.length() - 1) {
      return false;
    }
    return stderrTarget.equals("socket:[" + stream.substring(colon + 1).strip() + "]");
  }

  private static String stderrTarget() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }
}
