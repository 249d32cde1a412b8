package org.tunnelwatch.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads files that must be regular files of bounded size. A FIFO would block the read (or the
 * open) until someone writes, a device such as {@code /dev/zero} never ends, and a directory is
 * not text: all are refused from their type, before they are opened. Symbolic links are
 * followed, so a link to a regular file is read and a link to {@code /dev/zero} is refused.
 *
 * <p>The type is checked before the open, so a file swapped for a FIFO in between could still
 * block the open; only whoever may write the directory can do that. Stateless and thread-safe.
 */
public final class BoundedFiles {

  private BoundedFiles() {}

  /**
   * The bytes of {@code file}, at most {@code maxBytes}.
   *
   * @throws RefusedInputException when it is not a regular file or is larger than {@code
   *     maxBytes} (also when it grew past that while being read)
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws IOException when it cannot be read
   */
  public static byte[] read(Path file, int maxBytes) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class); // follows links
    if (!attributes.isRegularFile()) {
      throw new RefusedInputException("not a regular file (" + kind(file, attributes) + "), not read");
    }
    if (attributes.size() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return bytes;
  }

  /**
   * The text of {@code file} in UTF-8, at most {@code maxBytes}; as {@link #read}, and bytes that
   * are not UTF-8 are a {@link java.nio.charset.CharacterCodingException}, never replaced.
   */
  public static String readUtf8(Path file, int maxBytes) throws IOException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(read(file, maxBytes))).toString();
  }

  /**
   * Refuses {@code file} unless it is a regular file (links followed); for paths that are handed
   * to code which opens them itself.
   */
  public static void requireRegular(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new RefusedInputException("not a regular file (" + kind(file, attributes) + "), not read");
    }
  }

  private static RefusedInputException tooLarge(int maxBytes) {
    return new RefusedInputException("larger than " + InputLimits.describe(maxBytes) + ", not read");
  }

  /** What kind of file it is, from the type bits of its mode (Linux's unix:mode attribute). */
  private static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
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
