package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.tunnel.TunnelStatus;

class StatusLineTest {

  private static TunnelStatus tunnel(String state) {
    return new TunnelStatus("t-" + state, state, "", "", 0, 0, null, true, "", "", null, false, null);
  }

  @Test
  void countsUpAndDegradedTunnelsAsUp() {
    assertThat(StatusLine.of(List.of(tunnel("up"), tunnel("degraded"), tunnel("up")), false)).isEqualTo("3/3 tunnels up");
  }

  @Test
  void namesHowManyAreDownOrNotYetProbed() {
    assertThat(StatusLine.of(List.of(tunnel("up"), tunnel("down"), tunnel("unknown")), false))
        .isEqualTo("1/3 tunnels up, 1 down, 1 not probed yet");
  }

  @Test
  void saysWhenNothingWillBeRepaired() {
    assertThat(StatusLine.of(List.of(), true)).isEqualTo("0/0 tunnels up (dry-run)");
  }
}
