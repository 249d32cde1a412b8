package org.tunnelwatch.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A configuration file's bytes as text. YAML files are UTF-8; a byte that is not gets a problem
 * at its own line and column, since the JDK's own message ("Input length = 1") names neither.
 */
final class ConfigText {

  private ConfigText() {}

  /** The text, or empty with a problem recorded. */
  static Optional<String> decode(byte[] bytes, Problems problems) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      out.flip();
      problems.add(SourceLocation.after(out), "", "not UTF-8: " + byteAt(bytes, in.position()) + "; save the file as UTF-8");
      return Optional.empty();
    }
    return Optional.of(out.flip().toString());
  }

  private static String byteAt(byte[] bytes, int at) {
    return at < bytes.length ? String.format("byte 0x%02x", bytes[at] & 0xff) : "the file ends inside a character";
  }
}
