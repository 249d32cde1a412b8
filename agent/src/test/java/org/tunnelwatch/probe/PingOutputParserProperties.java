package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.tunnelwatch.Fixtures;

/** Whatever ping prints, the parser answers with a consistent result or none, never an exception. */
class PingOutputParserProperties {

  private static final InetAddress TARGET = InetAddress.getLoopbackAddress();

  @Property(tries = 2000)
  void anyTextGivesAConsistentResultOrNone(@ForAll @StringLength(max = 600) String text) {
    PingOutputParser.parse(TARGET, text).ifPresent(PingOutputParserProperties::consistent);
  }

  @Property(tries = 2000)
  void damagedRealOutputGivesAConsistentResultOrNone(
      @ForAll @IntRange(min = 0, max = 400) int at, @ForAll @IntRange(min = 0, max = 60) int cut, @ForAll char inserted) {
    String real = Fixtures.read("ping/ping-partial-loss.txt") + Fixtures.read("ping/ping-ok.txt");
    int from = Math.min(at, real.length());
    String damaged = real.substring(0, from) + inserted + real.substring(Math.min(real.length(), from + cut));
    PingOutputParser.parse(TARGET, damaged).ifPresent(PingOutputParserProperties::consistent);
  }

  private static void consistent(EchoResult result) {
    assertThat(result.sent()).isNotNegative();
    assertThat(result.received()).isBetween(0, result.sent());
    assertThat(result.rtts()).allSatisfy(rtt -> assertThat(rtt.isNegative()).isFalse());
  }
}
