package org.tunnelwatch.remedy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LocalRungsTest {

  private static final long SECOND = 1_000_000_000L;
  private static final Duration SETTLE = Duration.ofSeconds(15);
  private static final List<RemedyAction> DEFAULT_LADDER =
      List.of(RemedyAction.REINITIATE, RemedyAction.REAUTH_IKE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE);
  private static final long NOW = 1_000 * SECOND;

  private static RemedyState at(int nextRung, long lastAttemptAgoSeconds, boolean exhausted) {
    return new RemedyState(nextRung, OptionalLong.of(NOW - lastAttemptAgoSeconds * SECOND), List.of(), false, exhausted);
  }

  @Test
  void notBeforeTheLadderReachesTheServiceRestart() {
    assertThat(LocalRungs.failed(RemedyState.initial(), DEFAULT_LADDER, SETTLE, NOW)).isFalse();
    assertThat(LocalRungs.failed(at(2, 60, false), DEFAULT_LADDER, SETTLE, NOW)).isFalse();
  }

  @Test
  void onTheServiceRestartRungOnceTheIkeRestartHasSettled() {
    assertThat(LocalRungs.failed(at(3, 14, false), DEFAULT_LADDER, SETTLE, NOW)).isFalse();
    assertThat(LocalRungs.failed(at(3, 15, false), DEFAULT_LADDER, SETTLE, NOW)).isTrue();
  }

  @Test
  void aLadderWithoutServiceRestartHasFailedOnceItsLastRungSettled() {
    List<RemedyAction> local = List.of(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE);
    assertThat(LocalRungs.failed(at(0, 1, true), local, SETTLE, NOW)).isFalse();
    assertThat(LocalRungs.failed(at(0, 20, true), local, SETTLE, NOW)).isTrue();
  }

  @Test
  void aRefusedLastActionNeedsNoSettling() {
    RemedyState refused = new RemedyState(3, OptionalLong.of(NOW), List.of(), false, false, true);
    assertThat(LocalRungs.failed(refused, DEFAULT_LADDER, SETTLE, NOW)).isTrue();
  }

  @Test
  void aLadderOfTheServiceRestartAloneHasNothingLocalToWaitFor() {
    assertThat(LocalRungs.failed(RemedyState.initial(), List.of(RemedyAction.RESTART_SERVICE), SETTLE, NOW)).isTrue();
  }
}
