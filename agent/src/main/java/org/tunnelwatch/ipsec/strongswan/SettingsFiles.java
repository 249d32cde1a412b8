package org.tunnelwatch.ipsec.strongswan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;

/**
 * Reads the files of one load of strongswan.conf, within bounds that keep a broken or hostile
 * file from making the agent read forever or hold much memory: at most {@link #MAX_FILES} files,
 * each at most {@link #MAX_BYTES}, and regular files only (a FIFO would block the read, and
 * {@code /dev/zero} never ends; {@link BoundedFiles}).
 */
final class SettingsFiles {

  static final int MAX_FILES = InputLimits.STRONGSWAN_CONF_FILES;
  static final int MAX_BYTES = InputLimits.STRONGSWAN_CONF_FILE_BYTES;

  private final List<Path> read = new ArrayList<>();

  /**
   * The text of {@code file}, or empty for a folder, which charon skips too (an include pattern
   * like {@code conf.d/*} may well match one).
   *
   * @param where what to put before the message of an error: the include statement's {@code
   *     file:line: } or nothing for the top-level file
   * @param included whether the file comes from an include (the top-level file must be a file)
   */
  Optional<String> read(Path file, String where, boolean included) throws StrongswanSettingsException {
    if (Files.isDirectory(file)) {
      if (included) {
        return Optional.empty();
      }
      throw new StrongswanSettingsException(where + file + ": is a directory");
    }
    if (read.size() >= MAX_FILES) {
      throw new StrongswanSettingsException(
          where + file + ": more than " + MAX_FILES + " files to read, the rest not read");
    }
    byte[] bytes;
    try {
      bytes = BoundedFiles.read(file, MAX_BYTES);
    } catch (RefusedInputException e) {
      throw new StrongswanSettingsException(where + file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new StrongswanSettingsException(where + file + ": " + Glob.reason(e));
    }
    read.add(file);
    return Optional.of(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The files read so far, in the order they were read. */
  List<Path> files() {
    return List.copyOf(read);
  }
}
