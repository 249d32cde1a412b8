package org.tunnelwatch.ipsec.libreswan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers in whack's output that do not fit in a long (found by {@link LibreswanStatusFuzzTest}). */
class LibreswanStatusParserTest {

  private static final String STATES =
      "#1: \"sg1\":4500 ESTABLISHED_IKE_SA (established IKE SA); newest;\n"
          + "#2: \"sg1\":4500 ESTABLISHED_CHILD_SA (established Child SA); IKE SA #1; newest;\n";

  @Test
  void aSerialBeyondALongIsNotLibreswansAndItsLineIsIgnored() {
    String traffic = "#55555555555555555555555555555555: \"sg1\", type=ESP, add_time=1, inBytes=84, outBytes=84\n";

    assertThat(LibreswanStatusParser.parse(STATES, traffic))
        .singleElement()
        .satisfies(ike -> assertThat(ike.children()).singleElement().satisfies(child -> assertThat(child.state()).isEqualTo("ESTABLISHED_CHILD_SA")));
  }

  @Test
  void aByteCounterBeyondALongStaysAtItsTop() {
    String traffic = "#2: \"sg1\", type=ESP, add_time=1, inBytes=18446744073709551615, outBytes=84\n";

    assertThat(LibreswanStatusParser.parse(STATES, traffic))
        .singleElement()
        .satisfies(ike -> assertThat(ike.children()).singleElement().satisfies(child -> {
          assertThat(child.state()).isEqualTo("INSTALLED");
          assertThat(child.bytesIn()).isEqualTo(Long.MAX_VALUE);
        }));
  }
}
