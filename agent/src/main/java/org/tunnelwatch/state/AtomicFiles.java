package org.tunnelwatch.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file in the state directory so that a crash or a power cut at any moment leaves either
 * the old content or the new, never a mix: the new text goes to a temporary file in the same
 * directory, which is flushed to disk and renamed over the old file, and the directory is flushed
 * too.
 */
final class AtomicFiles {

  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code dir/name}, creating {@code dir} if needed. */
  static void write(Path dir, String name, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true); // the rename itself is on disk only once the directory is
      }
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
