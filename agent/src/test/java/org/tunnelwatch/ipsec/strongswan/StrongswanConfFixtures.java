package org.tunnelwatch.ipsec.strongswan;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The files under {@code src/test/resources/fixtures/strongswan-conf}, as paths. */
final class StrongswanConfFixtures {

  private StrongswanConfFixtures() {}

  static Path path(String name) {
    try {
      return Path.of(StrongswanConfFixtures.class.getResource("/fixtures/strongswan-conf/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
