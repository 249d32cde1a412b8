package org.tunnelwatch.ipsec.libreswan;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.tunnelwatch.Fixtures;

/** Damaged whack output gives SAs or none, never an exception: the daemon's text is input. */
class LibreswanStatusProperties {

  @Property(tries = 1500)
  void damagedStatusOutputNeverThrows(
      @ForAll @IntRange(min = 0, max = 1500) int at, @ForAll @IntRange(min = 0, max = 60) int cut, @ForAll char inserted,
      @ForAll boolean version5) {
    String v = version5 ? "5" : "4";
    String states = Fixtures.read("libreswan/showstates-" + v + "-established.txt");
    String traffic = Fixtures.read("libreswan/trafficstatus-" + v + "-established.txt");
    String both = states + "\u0000" + traffic;
    int from = Math.min(at, both.length());
    String damaged = both.substring(0, from) + inserted + both.substring(Math.min(both.length(), from + cut));
    int split = damaged.indexOf('\u0000');
    String s = split < 0 ? damaged : damaged.substring(0, split);
    String t = split < 0 ? "" : damaged.substring(split + 1);
    assertThat(LibreswanStatusParser.parse(s, t)).allSatisfy(sa -> assertThat(sa.name()).isNotNull());
  }
}
