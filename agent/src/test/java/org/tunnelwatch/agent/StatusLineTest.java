package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.tunnelwatch.tunnel.FailoverStatus;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.health.TunnelState;

class StatusLineTest {

  private static final TunnelState UP = TunnelState.UP;

  @Test
  void countsUpAndDegradedTunnelsAsUp() {
    assertThat(StatusLine.of(List.of(UP, TunnelState.DEGRADED, UP), false)).isEqualTo("3/3 tunnels up");
  }

  @Test
  void namesHowManyAreDownOrNotYetProbed() {
    assertThat(StatusLine.of(List.of(UP, TunnelState.DOWN, TunnelState.UNKNOWN), false))
        .isEqualTo("1/3 tunnels up, 1 down, 1 not probed yet");
  }

  @Test
  void saysWhenNothingWillBeRepaired() {
    assertThat(StatusLine.of(List.of(), true)).isEqualTo("0/0 tunnels up (dry-run)");
  }

  @Test
  void namesEachFailoverGroupWhoseTrafficGoesThroughABackup() {
    List<FailoverStatus> groups =
        List.of(
            new FailoverStatus("central", "via-hub-b", List.of("via-hub-a", "via-hub-b"), true),
            new FailoverStatus("dc2", "via-fibre", List.of("via-fibre", "via-lte"), false));
    assertThat(StatusLine.of(List.of(UP, UP, UP, UP, UP, UP), false, groups)).isEqualTo("6/6 tunnels up; central on via-hub-b");
  }
}
