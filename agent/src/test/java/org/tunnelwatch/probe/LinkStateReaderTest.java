package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a fixture tree shaped like /sys/class/net, as node_exporter's tests do. */
class LinkStateReaderTest {

  @TempDir Path sys;

  private void link(String name, String operstate, String flags) throws IOException {
    Path dir = Files.createDirectories(sys.resolve(name));
    Files.writeString(dir.resolve("operstate"), operstate + "\n");
    Files.writeString(dir.resolve("flags"), flags + "\n");
  }

  @Test
  void anEthernetLinkThatIsUp() throws IOException {
    link("wan0", "up", "0x1003");
    assertThat(new LinkStateReader(sys).read("wan0").isUp()).isTrue();
  }

  @Test
  void anEthernetLinkThatIsDown() throws IOException {
    link("wan0", "down", "0x1002");
    LinkState state = new LinkStateReader(sys).read("wan0");
    assertThat(state.isUp()).isFalse();
    assertThat(state.describe()).isEqualTo("wan0 down");
  }

  @Test
  void aPppLinkReportsUnknownAndIsJudgedByItsFlags() throws IOException {
    link("ppp0", "unknown", "0x10d1"); // UP, POINTOPOINT, RUNNING, NOARP, MULTICAST
    assertThat(new LinkStateReader(sys).read("ppp0").isUp()).isTrue();
    assertThat(new LinkStateReader(sys).read("ppp0").describe()).isEqualTo("ppp0 unknown, running");
    link("ppp1", "unknown", "0x1090"); // configured down
    assertThat(new LinkStateReader(sys).read("ppp1").isUp()).isFalse();
  }

  @Test
  void aMissingInterfaceIsAbsentAndDown() {
    LinkState state = new LinkStateReader(sys).read("ppp0");
    assertThat(state.present()).isFalse();
    assertThat(state.isUp()).isFalse();
    assertThat(state.describe()).isEqualTo("ppp0 absent");
  }

  @Test
  void garbageFlagsCountAsDown() throws IOException {
    link("wan0", "unknown", "not-hex");
    assertThat(new LinkStateReader(sys).read("wan0").isUp()).isFalse();
  }

  @Test
  void theRealLoopbackIsReadable() {
    LinkState lo = new LinkStateReader().read("lo");
    assertThat(lo.present()).isTrue();
    assertThat(lo.adminUp()).isTrue();
  }
}
