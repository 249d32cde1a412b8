package org.tunnelwatch.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;
import org.slf4j.LoggerFactory;

/**
 * The remediation history on disk: {@value #NAME} in the state directory.
 *
 * <p>Saving is atomic: the new text goes to a temporary file in the same directory, which is
 * flushed to disk, renamed over the old file, and the directory is flushed too, so that a crash
 * or a power cut at any moment leaves either the old history or the new one, never a mix.
 *
 * <p>Faults never stop the agent. A missing directory is created. A directory that cannot be
 * written (read-only, full, gone) gives one warning naming it and the problem, not one per save,
 * and one line when saving works again; meanwhile the caller keeps the history in memory. A file
 * that cannot be understood, or is larger than {@link InputLimits#HISTORY_FILE_BYTES}, or is not a
 * regular file, gives one warning, is renamed to {@code .corrupt} for the operator to look at,
 * and the agent starts with an empty history.
 *
 * <p>Thread-safe (every method is synchronized).
 */
final class HistoryFile implements HistoryRecorder.Store {

  static final String NAME = "remedy-history.json";

  private static final Logger log = LoggerFactory.getLogger(HistoryFile.class);

  /** Called when saving starts or stops working; see {@link #save}. */
  interface WritableListener {
    void writable(boolean writable);
  }

  private final Path dir;
  private final Path file;
  private final WritableListener listener;
  private Boolean writable; // null until the first save

  HistoryFile(Path dir, WritableListener listener) {
    this.dir = dir;
    this.file = dir.resolve(NAME);
    this.listener = listener;
  }

  Path path() {
    return file;
  }

  /**
   * The stored history; empty when there is none or it cannot be read (with a warning). A file
   * that cannot be understood, is too large or is not a regular file (a FIFO, a link to a
   * device) is set aside, so that the next start does not stumble over it again.
   */
  @Override
  public synchronized RemedyHistory load() {
    byte[] bytes;
    try {
      bytes = BoundedFiles.read(file, InputLimits.HISTORY_FILE_BYTES);
    } catch (NoSuchFileException e) {
      return RemedyHistory.empty(); // the first start, or the directory is not there yet
    } catch (RefusedInputException e) {
      return setAside(e.getMessage());
    } catch (IOException e) {
      log.warn("cannot read the remediation history {}: {}; starting with an empty history", file, describe(e));
      return RemedyHistory.empty();
    }
    try {
      return HistoryCodec.decode(bytes);
    } catch (HistoryFormatException e) {
      return setAside(e.getMessage());
    }
  }

  /** Renames the file (a link itself, not what it points to) to {@code .corrupt}, and says so. */
  private RemedyHistory setAside(String problem) {
    Path aside = file.resolveSibling(NAME + ".corrupt");
    String kept;
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
      kept = "kept as " + aside;
    } catch (IOException moveFailed) {
      kept = "could not be moved aside (" + describe(moveFailed) + ")";
    }
    log.warn("the remediation history {} is damaged: {}; starting with an empty history, the file {}", file, problem, kept);
    return RemedyHistory.empty();
  }

  /**
   * Saves {@code history} atomically. A failure is logged once until a save works again, then
   * that is logged once; the listener hears of each change.
   *
   * @return whether it was saved
   */
  @Override
  public synchronized boolean save(RemedyHistory history) {
    try {
      AtomicFiles.write(dir, NAME, HistoryCodec.encode(history));
      changed(true, null);
      return true;
    } catch (IOException e) {
      changed(false, describe(e));
      return false;
    }
  }

  private void changed(boolean nowWritable, String problem) {
    if (writable != null && writable == nowWritable) {
      return;
    }
    if (!nowWritable) {
      log.warn(
          "cannot save the remediation history in {}: {}; the agent keeps probing and repairing and keeps the"
              + " history in memory until the directory can be written again",
          dir, problem);
    } else if (writable != null) {
      log.info("the remediation history is saved in {} again", dir);
    }
    writable = nowWritable;
    listener.writable(nowWritable);
  }

  /** One line: what went wrong, with the path where the exception has one. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied (" + e.getMessage() + ")";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + (fs.getFile() != null ? " (" + fs.getFile() + ")" : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
