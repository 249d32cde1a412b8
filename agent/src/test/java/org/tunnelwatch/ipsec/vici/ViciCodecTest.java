package org.tunnelwatch.ipsec.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ViciCodecTest {

  /** The encoding example of strongSwan's vici README, byte for byte. */
  private static final byte[] README_EXAMPLE =
      bytes(
          3, 4, 'k', 'e', 'y', '1', 0, 6, 'v', 'a', 'l', 'u', 'e', '1',
          1, 8, 's', 'e', 'c', 't', 'i', 'o', 'n', '1',
          1, 11, 's', 'u', 'b', '-', 's', 'e', 'c', 't', 'i', 'o', 'n',
          3, 4, 'k', 'e', 'y', '2', 0, 6, 'v', 'a', 'l', 'u', 'e', '2',
          2,
          4, 5, 'l', 'i', 's', 't', '1',
          5, 0, 5, 'i', 't', 'e', 'm', '1',
          5, 0, 5, 'i', 't', 'e', 'm', '2',
          6,
          2);

  private static final ViciMessage README_MESSAGE =
      ViciMessage.builder()
          .add("key1", "value1")
          .section(
              "section1",
              ViciMessage.builder()
                  .section("sub-section", ViciMessage.builder().add("key2", "value2").build())
                  .listOfText("list1", List.of("item1", "item2"))
                  .build())
          .build();

  @Nested
  class TheReadmeExample {

    @Test
    void decodesToTheTreeTheReadmeDescribes() throws Exception {
      ViciMessage message = ViciCodec.decode(README_EXAMPLE);

      assertThat(message).isEqualTo(README_MESSAGE);
      assertThat(message.text("key1")).contains("value1");
      assertThat(message.section("section1").section("sub-section").text("key2")).contains("value2");
      assertThat(message.section("section1").list("list1")).containsExactly("item1", "item2");
    }

    @Test
    void encodesToTheReadmeBytes() {
      assertThat(ViciCodec.encode(README_MESSAGE)).isEqualTo(README_EXAMPLE);
    }
  }

  @Nested
  class BadMessages {

    @Test
    void anUnknownElementTypeIsNamedWithItsOffset() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(3, 1, 'k', 0, 1, 'v', 9)))
          .isInstanceOf(ViciProtocolException.class)
          .hasMessage("bad VICI message at byte 6: unknown element type 9");
    }

    @Test
    void anUnclosedSectionIsAnError() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(1, 1, 's', 3, 1, 'k', 0, 0)))
          .hasMessage("bad VICI message at byte 8: section \"s\" is not closed");
    }

    @Test
    void aSectionEndWithoutStartIsAnError() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(2)))
          .hasMessage("bad VICI message at byte 0: section end without a section start");
    }

    @Test
    void aValueLongerThanTheMessageIsAnErrorNotAnAllocation() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(3, 1, 'k', 0xFF, 0xFF, 'v')))
          .hasMessage("bad VICI message at byte 0: value of 65535 bytes runs past the end of the message");
    }

    @Test
    void nestedListsAreAnError() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(4, 1, 'a', 4, 1, 'b', 6, 6)))
          .hasMessage("bad VICI message at byte 3: list \"b\" inside list \"a\" (lists do not nest)");
    }

    @Test
    void aKeyValueInsideAListIsAnError() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(4, 1, 'a', 3, 1, 'k', 0, 0, 6)))
          .hasMessage("bad VICI message at byte 3: a key/value inside list \"a\" (only list items may appear there)");
    }

    @Test
    void anItemOutsideAListIsAnError() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(5, 0, 0)))
          .hasMessage("bad VICI message at byte 0: list item outside a list");
    }

    @Test
    void duplicateNamesAreAnError() {
      assertThatThrownBy(() -> ViciCodec.decode(bytes(3, 1, 'k', 0, 0, 4, 1, 'k', 6)))
          .hasMessage("bad VICI message at byte 5: duplicate name \"k\"");
    }

    @Test
    void anUnknownPacketTypeIsAnError() {
      assertThatThrownBy(() -> Packet.decode(bytes(8))).hasMessage("unknown VICI packet type 8");
    }

    @Test
    void aConfirmationWithTrailingBytesIsAnError() {
      assertThatThrownBy(() -> Packet.decode(bytes(5, 1)))
          .hasMessage("EVENT_CONFIRM packet has 1 unexpected bytes after it");
    }

    @Test
    void aNameLongerThanThePacketIsAnError() {
      assertThatThrownBy(() -> Packet.decode(bytes(7, 10, 'a')))
          .hasMessage("EVENT packet name of 10 bytes runs past the end of the packet");
    }
  }

  static byte[] bytes(int... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int v : values) {
      out.write(v);
    }
    return out.toByteArray();
  }
}
