package org.tunnelwatch.ipsec.strongswan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the files of one load of strongswan.conf, within bounds that keep a broken or hostile
 * file from making the agent read forever or hold much memory: at most {@link #MAX_FILES} files,
 * each at most {@link #MAX_BYTES}, and regular files only (a FIFO would block the read, and
 * {@code /dev/zero} never ends).
 */
final class SettingsFiles {

  static final int MAX_FILES = 256;
  static final int MAX_BYTES = 1 << 20;

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
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class); // follows links
    } catch (IOException e) {
      throw new StrongswanSettingsException(where + file + ": " + Glob.reason(e));
    }
    if (attributes.isDirectory()) {
      if (included) {
        return Optional.empty();
      }
      throw new StrongswanSettingsException(where + file + ": is a directory");
    }
    if (!attributes.isRegularFile()) {
      throw new StrongswanSettingsException(where + file + ": not a regular file (" + kind(file) + "), not read");
    }
    if (attributes.size() > MAX_BYTES) {
      throw tooBig(file, where);
    }
    if (read.size() >= MAX_FILES) {
      throw new StrongswanSettingsException(
          where + file + ": more than " + MAX_FILES + " files to read, the rest not read");
    }
    read.add(file);
    // Checked and opened in two steps: a file swapped for a FIFO between them could still block
    // the open; only root can do that to /etc, and root can stop the agent anyway.
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1); // a file that grew since its size was read
    } catch (IOException e) {
      throw new StrongswanSettingsException(where + file + ": cannot read: " + Glob.reason(e));
    }
    if (bytes.length > MAX_BYTES) {
      throw tooBig(file, where);
    }
    return Optional.of(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The files read so far, in the order they were read. */
  List<Path> files() {
    return List.copyOf(read);
  }

  private static StrongswanSettingsException tooBig(Path file, String where) {
    return new StrongswanSettingsException(where + file + ": larger than 1 MiB, not read");
  }

  /** What kind of file it is, from the type bits of its mode (Linux's unix:mode attribute). */
  private static String kind(Path file) {
    try {
      int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "type " + Integer.toOctalString(type);
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "not a file or a directory";
    }
  }
}
