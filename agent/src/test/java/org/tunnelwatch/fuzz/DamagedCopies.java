package org.tunnelwatch.fuzz;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Damaged copies of a real input, the same ones at every run: each has a stretch cut out at some
 * place and a few characters put in (ASCII, control characters, a YAML or shell sign, non-ASCII,
 * a lone surrogate). The fuzz targets replay only their corpus under {@code mvn test}; these
 * copies give each parser's contract a few thousand inputs near real ones on every build.
 */
public final class DamagedCopies {

  private static final String ODD = "\u0000\t\n\r\u001b\u007f\u00a0\u00e9\u2028\ufeff\ud800{}[]:,&*!|>#'\"%=\\";

  private DamagedCopies() {}

  /** {@code count} damaged copies of {@code real}, from a fixed seed. */
  public static Stream<String> of(String real, int count) {
    Random random = new Random(real.hashCode() * 31L + count);
    return IntStream.range(0, count).mapToObj(i -> damage(real, random));
  }

  private static String damage(String real, Random random) {
    int at = random.nextInt(real.length() + 1);
    int cut = Math.min(real.length() - at, random.nextInt(41));
    StringBuilder inserted = new StringBuilder();
    int insertions = random.nextInt(9);
    for (int i = 0; i < insertions; i++) {
      inserted.append(random.nextBoolean() ? ODD.charAt(random.nextInt(ODD.length())) : (char) (' ' + random.nextInt(95)));
    }
    return real.substring(0, at) + inserted + real.substring(at + cut);
  }
}
