package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.ipsec.ChildSa;

class DataPlaneTest {

  private static Optional<ChildSa> child(long id, String state, long packetsIn) {
    return Optional.of(new ChildSa("net", id, state, packetsIn * 84, 0, packetsIn, 0));
  }

  @Test
  void anInstalledChildWhoseInboundCounterStandsStillWhileProbesFailIsDead() {
    assertThat(DataPlane.dead(child(1, "INSTALLED", 10), child(1, "INSTALLED", 10), true)).isTrue();
  }

  @Test
  void aMovingInboundCounterIsNotDead() {
    assertThat(DataPlane.dead(child(1, "INSTALLED", 10), child(1, "INSTALLED", 11), true)).isFalse();
  }

  @Test
  void aRoundWithRepliesIsNotDead() {
    assertThat(DataPlane.dead(child(1, "INSTALLED", 10), child(1, "INSTALLED", 10), false)).isFalse();
  }

  @Test
  void aNewInstanceIsNotComparedWithTheOldOne() {
    assertThat(DataPlane.dead(child(1, "INSTALLED", 10), child(2, "INSTALLED", 10), true)).isFalse();
  }

  @Test
  void noChildOrAChildThatIsNotInstalledIsNotADeadDataPlane() {
    assertThat(DataPlane.dead(Optional.empty(), child(1, "INSTALLED", 10), true)).isFalse();
    assertThat(DataPlane.dead(child(1, "INSTALLED", 10), Optional.empty(), true)).isFalse();
    assertThat(DataPlane.dead(child(1, "REKEYING", 10), child(1, "REKEYING", 10), true)).isFalse();
  }
}
