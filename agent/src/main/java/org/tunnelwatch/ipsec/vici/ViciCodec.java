package org.tunnelwatch.ipsec.vici;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.text.Printable;

/**
 * The VICI message encoding (strongSwan's {@code src/libcharon/plugins/vici/README.md}, "Message
 * format"): a sequence of elements, each a type byte followed by a name (8-bit length) and/or a
 * value (16-bit big-endian length). Stateless and thread-safe.
 *
 * <p>Decoding checks everything a hostile or broken peer could get wrong, and reports the first
 * problem with its byte offset: unknown element types, lengths that run past the end, unbalanced
 * sections, lists that are not closed or nested, items outside lists, duplicate names, sections
 * nested deeper than {@link InputLimits#VICI_NESTING}. Its raw allocations never exceed the
 * input's size, and the elements it builds are counted against a {@link ViciBudget}, so a garbage
 * frame cannot exhaust memory.
 */
public final class ViciCodec {

  static final int SECTION_START = 1;
  static final int SECTION_END = 2;
  static final int KEY_VALUE = 3;
  static final int LIST_START = 4;
  static final int LIST_ITEM = 5;
  static final int LIST_END = 6;

  /** The longest element name the format can carry (8-bit length). */
  public static final int MAX_NAME_LENGTH = 0xFF;

  private ViciCodec() {}

  public static byte[] encode(ViciMessage message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encodeInto(message, out);
    return out.toByteArray();
  }

  static void encodeInto(ViciMessage message, ByteArrayOutputStream out) {
    for (Map.Entry<String, ViciMessage.Entry> e : message.entries().entrySet()) {
      String name = e.getKey();
      ViciMessage.Entry entry = e.getValue();
      if (entry instanceof ViciMessage.Value v) {
        out.write(KEY_VALUE);
        writeName(name, out);
        writeValue(v.value(), out);
      } else if (entry instanceof ViciMessage.Items items) {
        out.write(LIST_START);
        writeName(name, out);
        for (ViciValue item : items.items()) {
          out.write(LIST_ITEM);
          writeValue(item, out);
        }
        out.write(LIST_END);
      } else if (entry instanceof ViciMessage.Section s) {
        out.write(SECTION_START);
        writeName(name, out);
        encodeInto(s.section(), out);
        out.write(SECTION_END);
      }
    }
  }

  /** Decodes a whole message. */
  public static ViciMessage decode(byte[] data) throws ViciProtocolException {
    return decode(data, 0, data.length, ViciBudget.onePacket());
  }

  /**
   * Decodes the message in {@code data[from, to)}, taking its elements from {@code budget};
   * offsets in errors count from {@code from}.
   */
  static ViciMessage decode(byte[] data, int from, int to, ViciBudget budget) throws ViciProtocolException {
    return new Decoder(data, from, to, budget).message();
  }

  /**
   * A name's bytes as text. Strict: a lossy decode would turn a damaged name into another one
   * (U+FFFD) silently, and one that may no longer fit in a name's 255 bytes.
   */
  static String strictUtf8(byte[] data, int from, int length) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data, from, length)).toString();
  }

  static void writeName(String name, ByteArrayOutputStream out) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a VICI name holds at most 255 bytes: " + name);
    }
    out.write(bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void writeValue(ViciValue value, ByteArrayOutputStream out) {
    out.write(value.length() >>> 8);
    out.write(value.length() & 0xFF);
    out.write(value.raw(), 0, value.length());
  }

  /** One pass over one message. Not thread-safe (one per call). */
  private static final class Decoder {

    private final byte[] data;
    private final int start;
    private final int end;
    private final ViciBudget budget;
    private int pos;

    Decoder(byte[] data, int from, int to, ViciBudget budget) {
      this.data = data;
      this.start = from;
      this.end = to;
      this.budget = budget;
      this.pos = from;
    }

    ViciMessage message() throws ViciProtocolException {
      Deque<ViciMessage.Builder> sections = new ArrayDeque<>();
      Deque<String> sectionNames = new ArrayDeque<>();
      sections.push(ViciMessage.builder());
      String listName = null;
      List<ViciValue> listItems = null;
      while (pos < end) {
        int at = pos;
        int type = data[pos++] & 0xFF;
        budget.element();
        switch (type) {
          case SECTION_START -> {
            notInList(listName, at, "a section start");
            if (sectionNames.size() >= InputLimits.VICI_NESTING) {
              throw problem(at, "sections nested more than " + InputLimits.VICI_NESTING + " deep");
            }
            String name = name(at);
            checkFree(sections.peek(), name, at);
            sections.push(ViciMessage.builder());
            sectionNames.push(name);
          }
          case SECTION_END -> {
            notInList(listName, at, "a section end");
            if (sectionNames.isEmpty()) {
              throw problem(at, "section end without a section start");
            }
            ViciMessage section = sections.pop().build();
            put(sections.peek(), sectionNames.pop(), new ViciMessage.Section(section), at);
          }
          case KEY_VALUE -> {
            notInList(listName, at, "a key/value");
            String key = name(at);
            ViciValue value = value(at);
            put(sections.peek(), key, new ViciMessage.Value(value), at);
          }
          case LIST_START -> {
            if (listName != null) {
              throw problem(at, "list \"" + name(at) + "\" inside list \"" + listName + "\" (lists do not nest)");
            }
            listName = name(at);
            checkFree(sections.peek(), listName, at);
            listItems = new ArrayList<>();
          }
          case LIST_ITEM -> {
            if (listName == null) {
              throw problem(at, "list item outside a list");
            }
            listItems.add(value(at));
          }
          case LIST_END -> {
            if (listName == null) {
              throw problem(at, "list end without a list start");
            }
            put(sections.peek(), listName, new ViciMessage.Items(listItems), at);
            listName = null;
            listItems = null;
          }
          default -> throw problem(at, "unknown element type " + type);
        }
      }
      if (listName != null) {
        throw problem(pos, "list \"" + listName + "\" is not closed");
      }
      if (!sectionNames.isEmpty()) {
        throw problem(pos, "section \"" + sectionNames.peek() + "\" is not closed");
      }
      return sections.pop().build();
    }

    private String name(int element) throws ViciProtocolException {
      if (pos >= end) {
        throw problem(element, "element cut short before its name length");
      }
      int length = data[pos++] & 0xFF;
      if (length > end - pos) {
        throw problem(element, "name of " + length + " bytes runs past the end of the message");
      }
      String name;
      try {
        name = strictUtf8(data, pos, length);
      } catch (CharacterCodingException e) {
        throw problem(element, "name is not UTF-8");
      }
      pos += length;
      return name;
    }

    private ViciValue value(int element) throws ViciProtocolException {
      if (end - pos < 2) {
        throw problem(element, "element cut short before its value length");
      }
      int length = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
      pos += 2;
      if (length > end - pos) {
        throw problem(element, "value of " + length + " bytes runs past the end of the message");
      }
      byte[] bytes = new byte[length];
      System.arraycopy(data, pos, bytes, 0, length);
      pos += length;
      return ViciValue.of(bytes);
    }

    private void notInList(String listName, int at, String what) throws ViciProtocolException {
      if (listName != null) {
        throw problem(at, what + " inside list \"" + listName + "\" (only list items may appear there)");
      }
    }

    private void checkFree(ViciMessage.Builder section, String name, int at) throws ViciProtocolException {
      if (section.has(name)) {
        throw problem(at, "duplicate name \"" + name + "\"");
      }
    }

    private void put(ViciMessage.Builder section, String name, ViciMessage.Entry entry, int at)
        throws ViciProtocolException {
      checkFree(section, name, at);
      try {
        section.put(name, entry);
      } catch (IllegalArgumentException e) {
        // A name whose bytes are not UTF-8 decodes to replacement characters and may then be
        // too long to encode again; such a message is not one charon would send.
        throw problem(at, "unusable name: " + e.getMessage());
      }
    }

    private ViciProtocolException problem(int at, String message) {
      // Names come from the peer: keep the message on one line whatever they hold.
      return new ViciProtocolException("bad VICI message at byte " + (at - start) + ": " + Printable.escape(message));
    }
  }
}
