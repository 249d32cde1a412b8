package org.tunnelwatch.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads interface state from sysfs ({@code /sys/class/net/IF/operstate} and {@code flags}).
 * Tests point it at a fixture tree instead of the real {@code /sys/class/net}. Stateless and
 * thread-safe.
 */
public final class LinkStateReader {

  private static final int IFF_UP = 0x1;
  private static final int IFF_RUNNING = 0x40;

  private final Path sysClassNet;

  public LinkStateReader() {
    this(Path.of("/sys/class/net"));
  }

  /** Reads from {@code sysClassNet} instead of /sys/class/net: a fixture tree in tests. */
  public LinkStateReader(Path sysClassNet) {
    this.sysClassNet = sysClassNet;
  }

  /** The interface's state; an interface that does not exist (or cannot be read) is absent. */
  public LinkState read(String interfaceName) {
    Path dir = sysClassNet.resolve(interfaceName);
    try {
      String operState = Files.readString(dir.resolve("operstate"), StandardCharsets.US_ASCII).strip();
      int flags = parseFlags(Files.readString(dir.resolve("flags"), StandardCharsets.US_ASCII).strip());
      return new LinkState(
          interfaceName, true, operState, (flags & IFF_UP) != 0, (flags & IFF_RUNNING) != 0);
    } catch (NoSuchFileException e) {
      return LinkState.absent(interfaceName);
    } catch (IOException | NumberFormatException e) {
      // Unreadable sysfs is as good as no interface for deciding whether to act.
      return new LinkState(interfaceName, true, "unreadable", false, false);
    }
  }

  private static int parseFlags(String text) {
    String hex = text.startsWith("0x") ? text.substring(2) : text;
    return Integer.parseInt(hex, 16);
  }
}
