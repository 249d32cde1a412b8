package org.tunnelwatch.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.FailoverMode;
import org.tunnelwatch.health.TunnelState;

class FailoverMachineTest {

  private static final String A = "via-a";
  private static final String B = "via-b";
  private static final String C = "via-c";

  /** The fake clock: monotonic nanoseconds, moved by the test. */
  private long now = 1_000_000_000L;

  private final Map<String, MemberReport> reports = new HashMap<>();
  private FailoverMachine machine;
  private FailoverState state;

  private void group(FailoverGroupConfig config) {
    machine = new FailoverMachine(config);
    state = machine.start(Optional.empty(), now);
    config.members().forEach(m -> report(m, TunnelState.UP));
  }

  private static FailoverGroupConfig config(List<String> members) {
    return new FailoverGroupConfig(
        "central", members, FailoverMode.HOT, Optional.empty(), true, Duration.ofSeconds(60), FailoverGroupConfig.HoldDown.DEFAULT,
        OptionalDouble.empty());
  }

  private static FailoverGroupConfig withFailoverAfter(FailoverGroupConfig c, Duration after) {
    return new FailoverGroupConfig(c.name(), c.members(), c.mode(), Optional.of(after), c.preempt(), c.preemptAfter(), c.holdDown(), c.lossLimit());
  }

  private static FailoverGroupConfig cold(FailoverGroupConfig c) {
    return new FailoverGroupConfig(c.name(), c.members(), FailoverMode.COLD, c.failoverAfter(), c.preempt(), c.preemptAfter(), c.holdDown(), c.lossLimit());
  }

  private static FailoverGroupConfig withoutPreempt(FailoverGroupConfig c) {
    return new FailoverGroupConfig(c.name(), c.members(), c.mode(), c.failoverAfter(), false, c.preemptAfter(), c.holdDown(), c.lossLimit());
  }

  private void report(String member, TunnelState health) {
    reports.put(member, new MemberReport(member, health, health == TunnelState.DOWN ? 1 : 0, false));
  }

  private void downWithLadderSpent(String member) {
    reports.put(member, new MemberReport(member, TunnelState.DOWN, 1, true));
  }

  private Optional<Switch> stepAfter(Duration d) {
    now += d.toNanos();
    FailoverMachine.Step step = machine.step(state, reports, now);
    state = step.state();
    return step.decided();
  }

  private Optional<Switch> step() {
    return stepAfter(Duration.ofSeconds(2));
  }

  @Nested
  class Failover {

    @Test
    void startsOnThePrimaryAndStaysWhileItIsUp() {
      group(config(List.of(A, B)));
      assertThat(step()).isEmpty();
      assertThat(state.active()).isEqualTo(A);
    }

    @Test
    void aDownPrimaryWhoseUplinkIsDownIsLeftAtOnceSinceItsLadderWaitsForTheUplink() {
      group(config(List.of(A, B)));
      step();
      reports.put(A, new MemberReport(A, TunnelState.DOWN, 1, false, true));

      Optional<Switch> decided = step();

      assertThat(decided).get().extracting(Switch::from, Switch::to).containsExactly(A, B);
      assertThat(decided.get().why()).isEqualTo("via-a is down and its uplink is down (no repair is tried meanwhile); via-b is up");
    }

    @Test
    void aDownPrimaryIsNotLeftUntilItsLocalRungsHaveFailed() {
      group(config(List.of(A, B)));
      step();
      report(A, TunnelState.DOWN);
      assertThat(step()).isEmpty();
      assertThat(stepAfter(Duration.ofMinutes(5))).as("no ladder progress, no switch").isEmpty();

      downWithLadderSpent(A);
      Optional<Switch> decided = step();

      assertThat(decided).get().extracting(Switch::from, Switch::to, Switch::reason, Switch::releaseFrom)
          .containsExactly(A, B, SwitchReason.FAILOVER, true);
      assertThat(decided.get().why()).isEqualTo("via-a is down and the repairs that touch only it have failed; via-b is up");
      assertThat(state.active()).isEqualTo(B);
    }

    @Test
    void failoverAfterZeroSwitchesAtTheFirstDownVerdict() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      assertThat(step()).get().extracting(Switch::to).isEqualTo(B);
    }

    @Test
    void failoverAfterADurationCountsFromTheDownVerdict() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ofSeconds(10)));
      step();
      report(A, TunnelState.DOWN);
      assertThat(step()).isEmpty();
      assertThat(stepAfter(Duration.ofSeconds(9))).isEmpty();
      assertThat(stepAfter(Duration.ofSeconds(1))).get().extracting(Switch::to).isEqualTo(B);
    }

    @Test
    void goesToTheFirstHealthyMemberInPriorityOrder() {
      group(withFailoverAfter(config(List.of(A, B, C)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      report(B, TunnelState.DOWN);
      assertThat(step()).get().extracting(Switch::to).isEqualTo(C);
    }

    @Test
    void aDegradedPrimaryIsKeptWithoutALossLimit() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      reports.put(A, new MemberReport(A, TunnelState.DEGRADED, 0.3, false));
      assertThat(stepAfter(Duration.ofMinutes(10))).isEmpty();
    }

    @Test
    void pastTheLossLimitADegradedPrimaryIsLeftAtOnceEvenWithTheLadderDefault() {
      FailoverGroupConfig c = config(List.of(A, B));
      group(new FailoverGroupConfig(c.name(), c.members(), c.mode(), c.failoverAfter(), true, c.preemptAfter(), c.holdDown(), OptionalDouble.of(0.25)));
      step();
      reports.put(A, new MemberReport(A, TunnelState.DEGRADED, 0.2, false));
      assertThat(step()).as("below the limit").isEmpty();
      reports.put(A, new MemberReport(A, TunnelState.DEGRADED, 0.3, false));
      assertThat(step()).get().extracting(Switch::why).isEqualTo("via-a is degraded at 30% loss and the repairs that touch only it have failed; via-b is up");
    }

    @Test
    void neverToAMemberThatIsDownOrUnknown() {
      group(withFailoverAfter(config(List.of(A, B, C)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      report(B, TunnelState.DOWN);
      report(C, TunnelState.UNKNOWN);
      assertThat(stepAfter(Duration.ofMinutes(30))).isEmpty();
      assertThat(state.active()).isEqualTo(A);
    }
  }

  @Nested
  class BothDown {

    @Test
    void staysPutWithoutSwitchingBackAndForth() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      report(B, TunnelState.DOWN);
      for (int i = 0; i < 100; i++) {
        assertThat(step()).isEmpty();
      }
      assertThat(state.active()).isEqualTo(A);
    }

    @Test
    void whenTheBackupReturnsFirstTrafficGoesThroughIt() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      report(B, TunnelState.DOWN);
      step();
      report(B, TunnelState.UP);
      assertThat(step()).get().extracting(Switch::to, Switch::reason).containsExactly(B, SwitchReason.FAILOVER);
    }

    @Test
    void whenTheActiveBackupFailsToo_ThePrimaryThatReturnedTakesOver() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      step();
      report(B, TunnelState.DOWN);
      report(A, TunnelState.UP);
      assertThat(step()).get().extracting(Switch::from, Switch::to, Switch::reason).containsExactly(B, A, SwitchReason.FAILOVER);
    }
  }

  @Nested
  class Preempt {

    private void onBackup() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      step();
      assertThat(state.active()).isEqualTo(B);
    }

    @Test
    void thePrimaryTakesTheTrafficBackAfterPreemptAfterAndTheBackupIsKept() {
      onBackup();
      report(A, TunnelState.UP);
      assertThat(step()).isEmpty();
      assertThat(stepAfter(Duration.ofSeconds(59))).as("59 s healthy").isEmpty();
      Optional<Switch> back = stepAfter(Duration.ofSeconds(1));
      assertThat(back).get().extracting(Switch::from, Switch::to, Switch::reason, Switch::releaseFrom)
          .containsExactly(B, A, SwitchReason.PREEMPT, false);
      assertThat(back.get().why()).isEqualTo("via-a has been healthy for 1m (preempt-after 1m)");
    }

    @Test
    void aPrimaryThatFailsAgainStartsItsPreemptWaitOver() {
      onBackup();
      report(A, TunnelState.UP);
      step();
      stepAfter(Duration.ofSeconds(40));
      report(A, TunnelState.DOWN);
      step();
      report(A, TunnelState.UP);
      step();
      assertThat(stepAfter(Duration.ofSeconds(40))).isEmpty();
      assertThat(stepAfter(Duration.ofSeconds(20))).get().extracting(Switch::to).isEqualTo(A);
    }

    @Test
    void preemptFalseStaysOnTheBackup() {
      group(withoutPreempt(withFailoverAfter(config(List.of(A, B)), Duration.ZERO)));
      step();
      report(A, TunnelState.DOWN);
      step();
      report(A, TunnelState.UP);
      assertThat(stepAfter(Duration.ofHours(2))).isEmpty();
      assertThat(state.active()).isEqualTo(B);
    }

    @Test
    void aColdGroupReleasesTheBackupAfterPreempting() {
      group(cold(withFailoverAfter(config(List.of(A, B)), Duration.ZERO)));
      step();
      report(A, TunnelState.DOWN);
      step();
      report(A, TunnelState.UP);
      step();
      assertThat(stepAfter(Duration.ofMinutes(1))).get().extracting(Switch::releaseFrom).isEqualTo(true);
    }

    @Test
    void neverPreemptsToAMemberBelowTheActiveOne() {
      group(withFailoverAfter(config(List.of(A, B, C)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      step();
      assertThat(state.active()).isEqualTo(B);
      assertThat(stepAfter(Duration.ofHours(1))).as("C is up, but below B").isEmpty();
    }
  }

  @Nested
  class HoldDown {

    @Test
    void aFlappingPrimaryIsHeldDownAfterThreeFailuresAndNotPreemptedTo() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      int switches = 0;
      // down 20 s, up 70 s (past preempt-after): each cycle fails over and preempts back
      for (int cycle = 0; cycle < 10; cycle++) {
        report(A, TunnelState.DOWN);
        switches += step().isPresent() ? 1 : 0;
        stepAfter(Duration.ofSeconds(18));
        report(A, TunnelState.UP);
        switches += step().isPresent() ? 1 : 0;
        switches += stepAfter(Duration.ofSeconds(60)).isPresent() ? 1 : 0;
        switches += stepAfter(Duration.ofSeconds(8)).isPresent() ? 1 : 0;
      }
      // failures at 0, 90, 180 s: the third holds A down for 15 minutes; within those 15 minutes
      // (the 10 cycles take 15 minutes) no preempt goes back to it.
      assertThat(switches).isEqualTo(5);
      assertThat(state.active()).isEqualTo(B);
      assertThat(state.held(A, now)).isTrue();
    }

    @Test
    void aHeldDownMemberStillTakesTheTrafficWhenNoOtherIsHealthy() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      for (int i = 0; i < 3; i++) {
        report(A, TunnelState.DOWN);
        step();
        report(A, TunnelState.UP);
        stepAfter(Duration.ofSeconds(61));
        stepAfter(Duration.ofSeconds(1));
      }
      assertThat(state.held(A, now)).isTrue();
      assertThat(state.active()).isEqualTo(B);
      report(B, TunnelState.DOWN);
      Optional<Switch> decided = step();
      assertThat(decided).get().extracting(Switch::to).isEqualTo(A);
      assertThat(decided.get().why()).endsWith("(held down, but no other member is healthy)");
    }

    @Test
    void theHoldEndsAfterItsTime() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      for (int i = 0; i < 3; i++) {
        report(A, TunnelState.DOWN);
        step();
        report(A, TunnelState.UP);
        step();
      }
      assertThat(state.held(A, now)).isTrue();
      assertThat(stepAfter(Duration.ofMinutes(14))).isEmpty();
      assertThat(stepAfter(Duration.ofMinutes(1))).get().extracting(Switch::to, Switch::reason).containsExactly(A, SwitchReason.PREEMPT);
    }
  }

  @Nested
  class ColdGroups {

    @Test
    void anUnknownStandbyIsTriedWhenNoMemberIsHealthy() {
      group(cold(withFailoverAfter(config(List.of(A, B)), Duration.ZERO)));
      report(B, TunnelState.UNKNOWN);
      step();
      report(A, TunnelState.DOWN);
      Optional<Switch> decided = step();
      assertThat(decided).get().extracting(Switch::to).isEqualTo(B);
      assertThat(decided.get().why()).endsWith("via-b is a cold standby");
    }

    @Test
    void aHotGroupNeverTriesAnUnknownMember() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      report(B, TunnelState.UNKNOWN);
      step();
      report(A, TunnelState.DOWN);
      assertThat(step()).isEmpty();
    }
  }

  @Nested
  class FailedSwitches {

    @Test
    void aRefusedSwitchLeavesTheTrafficWhereItWasAndIsRetriedAfterAWhile() {
      group(withFailoverAfter(config(List.of(A, B)), Duration.ZERO));
      step();
      report(A, TunnelState.DOWN);
      Switch refused = step().orElseThrow();
      state = machine.switchFailed(state, refused, now);

      assertThat(state.active()).isEqualTo(A);
      assertThat(stepAfter(FailoverMachine.SWITCH_RETRY.minusMillis(1))).isEmpty();
      assertThat(stepAfter(Duration.ofMillis(1))).get().extracting(Switch::to).isEqualTo(B);
    }
  }

  @Nested
  class Restart {

    @Test
    void aRestartedAgentStaysOnTheRestoredMemberWithoutASwitch() {
      group(config(List.of(A, B)));
      state = machine.start(Optional.of(B), now);
      report(A, TunnelState.UNKNOWN);
      report(B, TunnelState.UP);
      assertThat(step()).isEmpty();
      assertThat(state.active()).isEqualTo(B);
    }

    @Test
    void aRestoredNameThatIsNoLongerAMemberStartsOnThePrimary() {
      group(config(List.of(A, B)));
      assertThat(machine.start(Optional.of("gone"), now).active()).isEqualTo(A);
    }
  }
}
