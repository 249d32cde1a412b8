package org.tunnelwatch.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Timeout;
import org.tunnelwatch.config.FailoverGroupConfig;
import org.tunnelwatch.config.FailoverMode;
import org.tunnelwatch.fuzz.FuzzBudget;
import org.tunnelwatch.health.TunnelState;

/**
 * Random groups fed random health sequences: whatever happens, exactly one member is active, a
 * switch never goes to a member that is down (nor, in a hot group, unknown), never to the member
 * that already carries the traffic, never back to a held-down member by preempt, and traffic
 * leaves a member because it failed at most once per failure of that member (no switch loop).
 * Corpus: {@code FailoverMachineFuzzTestInputs/anyHealthSequenceKeepsTheInvariants}.
 */
class FailoverMachineFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.RUN)
  @Timeout(FuzzBudget.INPUT_SECONDS)
  void anyHealthSequenceKeepsTheInvariants(FuzzedDataProvider data) {
    int size = data.consumeInt(2, 4);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add("m" + i);
    }
    FailoverGroupConfig.HoldDown holdDown =
        new FailoverGroupConfig.HoldDown(
            data.consumeInt(1, 5), Duration.ofSeconds(data.consumeInt(1, 1200)), Duration.ofSeconds(data.consumeInt(0, 1800)));
    boolean byLadder = data.consumeBoolean();
    FailoverGroupConfig group =
        new FailoverGroupConfig(
            "g",
            members,
            data.consumeBoolean() ? FailoverMode.HOT : FailoverMode.COLD,
            byLadder ? Optional.empty() : Optional.of(Duration.ofSeconds(data.consumeInt(0, 120))),
            data.consumeBoolean(),
            Duration.ofSeconds(data.consumeInt(0, 300)),
            holdDown,
            data.consumeBoolean() ? OptionalDouble.of(data.consumeInt(1, 99) / 100.0) : OptionalDouble.empty());
    FailoverMachine machine = new FailoverMachine(group);
    long now = 0;
    FailoverState state = machine.start(data.consumeBoolean() ? Optional.of("m" + data.consumeInt(0, 5)) : Optional.empty(), now);
    Map<String, MemberReport> reports = new HashMap<>();
    Map<String, Integer> failures = new HashMap<>();
    Map<String, Integer> failoversAway = new HashMap<>();
    TunnelState[] states = TunnelState.values();

    while (data.remainingBytes() > 0) {
      String member = members.get(data.consumeInt(0, size - 1));
      MemberReport report =
          new MemberReport(member, states[data.consumeInt(0, states.length - 1)], data.consumeInt(0, 100) / 100.0, data.consumeBoolean());
      if (machine.failed(report) && !machine.failed(reports.getOrDefault(member, MemberReport.unknown(member)))) {
        failures.merge(member, 1, Integer::sum);
      }
      reports.put(member, report);
      now += Duration.ofMillis(data.consumeLong(0, 600_000)).toNanos();
      String before = state.active();
      FailoverMachine.Step step = machine.step(state, reports, now);

      assertThat(members).contains(step.state().active());
      if (step.decided().isEmpty()) {
        assertThat(step.state().active()).isEqualTo(before);
      } else {
        Switch s = step.decided().get();
        MemberReport to = reports.getOrDefault(s.to(), MemberReport.unknown(s.to()));
        assertThat(s.from()).isEqualTo(before);
        assertThat(s.to()).isNotEqualTo(before).isEqualTo(step.state().active());
        assertThat(to.state()).isNotEqualTo(TunnelState.DOWN);
        assertThat(machine.failed(to)).isFalse();
        if (group.mode() == FailoverMode.HOT) {
          assertThat(machine.healthy(to)).isTrue();
        }
        if (s.reason() == SwitchReason.PREEMPT) {
          assertThat(step.state().held(s.to(), now)).isFalse();
        }
        boolean refused = data.consumeBoolean();
        if (refused) {
          step = new FailoverMachine.Step(machine.switchFailed(step.state(), s, now), Optional.empty());
          assertThat(step.state().active()).isEqualTo(before);
        } else if (s.reason() == SwitchReason.FAILOVER) {
          int away = failoversAway.merge(s.from(), 1, Integer::sum);
          assertThat(away).as("failovers away from %s", s.from()).isLessThanOrEqualTo(failures.getOrDefault(s.from(), 0));
        }
      }
      state = step.state();
    }
  }
}
