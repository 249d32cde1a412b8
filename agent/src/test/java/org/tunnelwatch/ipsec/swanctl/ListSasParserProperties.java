package org.tunnelwatch.ipsec.swanctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.ipsec.IkeSa;

/** Whatever swanctl prints, the parser returns SAs or a {@link RawFormatException}, nothing else. */
class ListSasParserProperties {

  @Property(tries = 2000)
  void anyLineAfterTheEventHeaderParsesOrFailsCleanly(@ForAll @StringLength(max = 300) String body) {
    parseOrFailCleanly("list-sa event {" + body);
  }

  @Property(tries = 3000)
  void damagedRealOutputParsesOrFailsCleanly(
      @ForAll @IntRange(min = 0, max = 900) int at, @ForAll @IntRange(min = 0, max = 40) int cut, @ForAll char inserted) {
    String real = Fixtures.read("swanctl/list-sas-raw-installed.txt");
    int from = Math.min(at, real.length());
    parseOrFailCleanly(real.substring(0, from) + inserted + real.substring(Math.min(real.length(), from + cut)));
  }

  private static void parseOrFailCleanly(String output) {
    try {
      List<IkeSa> sas = ListSasParser.parse(output);
      assertThat(sas).allSatisfy(sa -> assertThat(sa.name()).isNotNull());
    } catch (RawFormatException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }
}
