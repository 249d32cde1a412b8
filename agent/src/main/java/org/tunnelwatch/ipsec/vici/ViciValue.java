package org.tunnelwatch.ipsec.vici;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One VICI value: a blob of at most 65535 bytes. charon sends strings (numbers too are strings),
 * but the format allows any bytes, so the bytes are kept as they came and decoded on request.
 * Immutable.
 */
public final class ViciValue {

  /** The longest value the format can carry (16-bit length). */
  public static final int MAX_LENGTH = 0xFFFF;

  private final byte[] bytes;

  private ViciValue(byte[] bytes) {
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("a VICI value holds at most 65535 bytes, found " + bytes.length);
    }
    this.bytes = bytes;
  }

  public static ViciValue of(String text) {
    return new ViciValue(text.getBytes(StandardCharsets.UTF_8));
  }

  public static ViciValue of(byte[] bytes) {
    return new ViciValue(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  int length() {
    return bytes.length;
  }

  byte[] raw() {
    return bytes;
  }

  /** The value as UTF-8 text (malformed bytes become U+FFFD). */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViciValue v && Arrays.equals(bytes, v.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return text();
  }
}
