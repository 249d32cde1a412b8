package org.tunnelwatch.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TargetsRuleTest {

  /** A round of three targets, {@code answered} of which replied to their one echo. */
  private static RoundSample threeTargets(TargetsRule rule, int answered) {
    return new RoundSample(0, 3, answered, answered * 1_000L, answered, rule.required(3));
  }

  @Nested
  class Rules {
    @Test
    void anyNeedsOneTargetWhateverTheirNumber() {
      assertThat(TargetsRule.ANY.required(1)).isEqualTo(1);
      assertThat(TargetsRule.ANY.required(5)).isEqualTo(1);
    }

    @Test
    void allNeedsEveryTarget() {
      assertThat(TargetsRule.ALL.required(1)).isEqualTo(1);
      assertThat(TargetsRule.ALL.required(5)).isEqualTo(5);
    }

    @Test
    void atLeastNeedsItsNumber() {
      assertThat(TargetsRule.atLeast(2).required(5)).isEqualTo(2);
    }

    @Test
    void atLeastNoneIsNotARule() {
      assertThatThrownBy(() -> TargetsRule.atLeast(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachIsShownAsTheConfigurationWritesIt() {
      assertThat(TargetsRule.ANY).hasToString("any");
      assertThat(TargetsRule.ALL).hasToString("all");
      assertThat(TargetsRule.atLeast(2)).hasToString("at-least: 2");
    }
  }

  @Nested
  class Rounds {
    @Test
    void underAnyARoundFailsOnlyWhenNoTargetAnswered() {
      assertThat(threeTargets(TargetsRule.ANY, 1).failed()).isFalse();
      assertThat(threeTargets(TargetsRule.ANY, 0).failed()).isTrue();
    }

    @Test
    void underAllOneSilentTargetFailsTheRoundButTheTunnelIsNotSilent() {
      RoundSample round = threeTargets(TargetsRule.ALL, 2);
      assertThat(round.failed()).isTrue();
      assertThat(round.silent()).isFalse();
      assertThat(threeTargets(TargetsRule.ALL, 3).failed()).isFalse();
    }

    @Test
    void underAtLeastTwoOneSilentTargetOfThreeIsAGoodRoundAndTwoAreNot() {
      assertThat(threeTargets(TargetsRule.atLeast(2), 2).failed()).isFalse();
      assertThat(threeTargets(TargetsRule.atLeast(2), 1).failed()).isTrue();
    }

    @Test
    void theShortFormIsTheAnyRuleOfTheRepliesCounted() {
      long rtt = Duration.ofMillis(2).toNanos();
      assertThat(new RoundSample(0, 3, 1, rtt)).isEqualTo(new RoundSample(0, 3, 1, rtt, 1, 1));
      assertThat(new RoundSample(0, 0, 0, 0).failed()).isTrue();
    }

    @Test
    void answeringTargetsWithoutRepliesIsRefused() {
      assertThatThrownBy(() -> new RoundSample(0, 3, 0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new RoundSample(0, 3, 2, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
