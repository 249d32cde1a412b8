package org.tunnelwatch.config;

import java.util.Arrays;

/**
 * Just enough DER to find the curve of a SEC1 EC key: ECPrivateKey ::= SEQUENCE { version,
 * privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }. Bounds are checked
 * at every step: the bytes come from a file anyone may have damaged.
 */
final class Der {

  private static final int SEQUENCE = 0x30;
  private static final int PARAMETERS = 0xa0;
  private static final int OID = 0x06;

  private Der() {}

  /** An element: its tag and where its content starts and ends. */
  private record Element(int tag, int start, int end) {}

  /**
   * The named curve's OID, tag and length included, from the key's {@code [0] parameters}; null
   * when the key carries none or explicit parameters instead of a name.
   *
   * @throws IllegalArgumentException when the bytes are not such a key
   */
  static byte[] sec1Curve(byte[] der) {
    Element key = element(der, 0, der.length);
    if (key.tag() != SEQUENCE) {
      throw new IllegalArgumentException("not a SEQUENCE");
    }
    for (int at = key.start(); at < key.end(); ) {
      Element e = element(der, at, key.end());
      if (e.tag() == PARAMETERS) {
        Element inner = element(der, e.start(), e.end());
        return inner.tag() == OID ? Arrays.copyOfRange(der, e.start(), inner.end()) : null;
      }
      at = e.end();
    }
    return null;
  }

  private static Element element(byte[] der, int at, int limit) {
    if (at + 2 > limit) {
      throw new IllegalArgumentException("truncated");
    }
    int tag = der[at] & 0xff;
    int first = der[at + 1] & 0xff;
    int start = at + 2;
    int length;
    if (first < 0x80) {
      length = first;
    } else {
      int bytes = first & 0x7f;
      if (bytes == 0 || bytes > 3 || start + bytes > limit) {
        throw new IllegalArgumentException("bad length");
      }
      length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | (der[start + i] & 0xff);
      }
      start += bytes;
    }
    if (length > limit - start) {
      throw new IllegalArgumentException("truncated");
    }
    return new Element(tag, start, start + length);
  }
}
