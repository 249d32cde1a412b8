package org.tunnelwatch.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.failover.Switch;
import org.tunnelwatch.failover.SwitchReason;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.HookConfig;
import org.tunnelwatch.config.HookTrigger;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.health.RoundWindow;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.time.ManualTime;

/** Hooks run real programs: shell scripts this test writes into a temporary directory. */
class HooksTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final HealthState UP = state(TunnelState.UP, "3 good rounds");
  private static final HealthState DOWN = state(TunnelState.DOWN, "no reply for 3 rounds");

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger problemsLog = (Logger) LoggerFactory.getLogger(HookProblems.class);
  private Hooks hooks;

  @BeforeEach
  void captureLogs() {
    logs.start();
    problemsLog.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    problemsLog.detachAppender(logs);
    if (hooks != null) {
      hooks.close();
    }
  }

  private static HealthState state(TunnelState state, String reason) {
    return new HealthState(state, 0, 0, RoundWindow.empty(), 0, reason, 0);
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private static HookConfig hook(String name, List<String> argv, Set<HookTrigger> on, Duration timeout) {
    return new HookConfig(name, argv, on, Set.of(), timeout);
  }

  private Hooks start(int capacity, HookConfig... configured) {
    hooks = new Hooks(List.of(configured), registry, new ManualTime(), new ProcessCommandRunner(), capacity);
    return hooks;
  }

  private double runs(String hook, HookResult result) {
    return registry.get(MetricNames.HOOK_RUNS).tag(MetricNames.TAG_HOOK, hook).tag(MetricNames.TAG_RESULT, result.label()).counter().count();
  }

  private double dropped(String hook) {
    return registry.get(MetricNames.HOOK_DROPPED).tag(MetricNames.TAG_HOOK, hook).counter().count();
  }

  private List<String> warnings() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Nested
  class WhatTheProgramSees {

    @Test
    void aStateChangeInItsEnvironment() throws IOException {
      Path out = dir.resolve("env.txt");
      Path program = script("env.sh", "env | grep '^TUNNELWATCH_' | sort > " + out + ".part && mv " + out + ".part " + out);
      start(8, hook("record", List.of(program.toString()), Set.of(HookTrigger.STATE), Duration.ofSeconds(10)));

      hooks.stateChanged("hq", UP, DOWN);

      await().atMost(BOUND).until(() -> Files.exists(out));
      assertThat(Files.readAllLines(out))
          .containsExactly(
              "TUNNELWATCH_EVENT=state",
              "TUNNELWATCH_HOOK=record",
              "TUNNELWATCH_PREVIOUS_STATE=up",
              "TUNNELWATCH_REASON=no reply for 3 rounds",
              "TUNNELWATCH_STATE=down",
              "TUNNELWATCH_TIME=2026-11-26T12:00:00Z",
              "TUNNELWATCH_TUNNEL=hq");
    }

    @Test
    void anActionBeforeAndAfterWithItsResult() throws IOException {
      Path out = dir.resolve("actions.txt");
      Path program =
          script(
              "actions.sh",
              "echo \"$TUNNELWATCH_EVENT $TUNNELWATCH_ACTION ${TUNNELWATCH_RESULT:-none} $TUNNELWATCH_REASON\" >> " + out);
      start(
          8,
          hook("actions", List.of(program.toString()), Set.of(HookTrigger.ACTION_BEFORE, HookTrigger.ACTION_AFTER), Duration.ofSeconds(10)));

      hooks.actionRunning("hq", RemedyAction.REINITIATE, "down");
      hooks.remedied("hq", new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.FAILURE, "no such CHILD", Duration.ofMillis(20)), "down");

      await().atMost(BOUND).until(() -> runs("actions", HookResult.OK) == 2);
      assertThat(Files.readAllLines(out))
          .containsExactly("action-before reinitiate none down", "action-after reinitiate failure down");
    }

    @Test
    void itsArgumentsAsWrittenNeverSplitOrExpandedByAShell() throws IOException {
      Path out = dir.resolve("args.txt");
      Path program = script("args.sh", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + out);
      List<String> args = List.of("two words", "$TUNNELWATCH_TUNNEL", "a;b", "*", "`id`");
      List<String> argv = new java.util.ArrayList<>(List.of(program.toString()));
      argv.addAll(args);
      start(8, hook("args", argv, Set.of(HookTrigger.STATE), Duration.ofSeconds(10)));

      hooks.stateChanged("hq", UP, DOWN);

      await().atMost(BOUND).until(() -> runs("args", HookResult.OK) == 1);
      assertThat(Files.readAllLines(out)).containsExactlyElementsOf(args);
    }

    @Test
    void aShellLineWhenTheConfigurationAsksForOne() {
      Path out = dir.resolve("shell.txt");
      start(
          8,
          hook("shell", List.of(HookConfig.SHELL, "-c", "echo \"$TUNNELWATCH_TUNNEL is $TUNNELWATCH_STATE\" > " + out), Set.of(HookTrigger.STATE), Duration.ofSeconds(10)));

      hooks.stateChanged("hq", UP, DOWN);

      await().atMost(BOUND).until(() -> runs("shell", HookResult.OK) == 1);
      assertThat(out).hasContent("hq is down");
    }
  }

  @Nested
  class WhichHooksRun {

    @Test
    void onlyForTheirEventsAndTunnels() throws IOException {
      Path program = script("ok.sh", "exit 0");
      hooks =
          new Hooks(
              List.of(
                  new HookConfig("hq-state", List.of(program.toString()), Set.of(HookTrigger.STATE), Set.of("hq"), Duration.ofSeconds(10)),
                  hook("actions", List.of(program.toString()), Set.of(HookTrigger.ACTION_AFTER), Duration.ofSeconds(10))),
              registry,
              new ManualTime(),
              new ProcessCommandRunner(),
              8);

      hooks.stateChanged("branch", UP, DOWN);
      hooks.stateChanged("hq", UP, DOWN);
      hooks.actionRunning("hq", RemedyAction.REINITIATE, "down");
      hooks.remedied("hq", new RemedyOutcome(RemedyAction.REINITIATE, RemedyResult.SUCCESS, "", Duration.ZERO), "down");

      await().atMost(BOUND).until(() -> runs("hq-state", HookResult.OK) + runs("actions", HookResult.OK) == 2);
      assertThat(runs("hq-state", HookResult.OK)).isEqualTo(1);
      assertThat(runs("actions", HookResult.OK)).isEqualTo(1);
    }

    @Test
    void aFailoverEventIsPublishedLikeTheOthers() throws IOException {
      Path out = dir.resolve("failover.txt");
      Path program = script("failover.sh", "echo \"$TUNNELWATCH_EVENT $TUNNELWATCH_GROUP $TUNNELWATCH_TUNNEL $TUNNELWATCH_FROM $TUNNELWATCH_TO $TUNNELWATCH_REASON\" > " + out);
      start(8, hook("failover", List.of(program.toString()), Set.of(HookTrigger.FAILOVER), Duration.ofSeconds(10)));

      hooks.failoverSwitched(new Switch("hq", "hub-a", "hub-b", SwitchReason.FAILOVER, "hub-a is down", true));

      await().atMost(BOUND).until(() -> runs("failover", HookResult.OK) == 1);
      assertThat(out).hasContent("failover hq hub-b hub-a hub-b failover");
    }
  }

  @Nested
  class WhenAHookMisbehaves {

    @Test
    void atItsTimeoutItIsKilledWithTheProcessesItStarted() throws IOException {
      Path childPid = dir.resolve("child.pid");
      Path parentPid = dir.resolve("parent.pid");
      Path program = script("hang.sh", "sleep 300 &\necho $! > " + childPid + "\necho $$ > " + parentPid + "\nsleep 300");
      start(8, hook("hang", List.of(program.toString()), Set.of(HookTrigger.STATE), Duration.ofMillis(500)));

      hooks.stateChanged("hq", UP, DOWN);

      await().atMost(BOUND).until(() -> runs("hang", HookResult.TIMEOUT) == 1);
      long child = Long.parseLong(Files.readString(childPid).strip());
      long parent = Long.parseLong(Files.readString(parentPid).strip());
      await().atMost(BOUND).until(() -> !alive(child) && !alive(parent));
    }

    @Test
    void eventsBeyondTheQueueAreDroppedAndCounted() throws IOException {
      Path release = dir.resolve("release");
      Path program = script("wait.sh", "i=0\nwhile [ ! -e " + release + " ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done");
      start(1, hook("slow", List.of(program.toString()), Set.of(HookTrigger.STATE), Duration.ofSeconds(30)));

      // The first runs at once, the second waits in the queue of one, the other three find it full.
      for (int i = 0; i < 5; i++) {
        hooks.stateChanged("hq", UP, DOWN);
      }
      assertThat(dropped("slow")).isEqualTo(3);
      Files.createFile(release);

      await().atMost(BOUND).until(() -> runs("slow", HookResult.OK) == 2);
      assertThat(dropped("slow")).isEqualTo(3);
      assertThat(warnings()).hasSize(1).first().asString().contains("hook slow", "dropping");
    }

    @Test
    void aFailureIsLoggedOncePerChangeNotPerRun() throws IOException {
      Path code = dir.resolve("code");
      Files.writeString(code, "3");
      Path program = script("fail.sh", "echo 'cannot reach pager' >&2\nexit $(cat " + code + ")");
      start(8, hook("pager", List.of(program.toString()), Set.of(HookTrigger.STATE), Duration.ofSeconds(10)));

      for (int i = 0; i < 3; i++) {
        hooks.stateChanged("hq", UP, DOWN);
      }
      await().atMost(BOUND).until(() -> runs("pager", HookResult.FAILED) == 3);
      assertThat(warnings()).containsExactly(
          "hook pager failed: exit 3: cannot reach pager (said again only when this changes; see tunnelwatch_hook_runs_total)");

      Files.writeString(code, "0");
      hooks.stateChanged("hq", DOWN, UP);
      hooks.stateChanged("hq", UP, DOWN);
      await().atMost(BOUND).until(() -> runs("pager", HookResult.OK) == 2);
      Files.writeString(code, "4");
      hooks.stateChanged("hq", DOWN, UP);
      hooks.stateChanged("hq", UP, DOWN);
      await().atMost(BOUND).until(() -> runs("pager", HookResult.FAILED) == 5);

      assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage))
          .containsExactly(
              "hook pager failed: exit 3: cannot reach pager (said again only when this changes; see tunnelwatch_hook_runs_total)",
              "hook pager works again",
              "hook pager failed: exit 4: cannot reach pager (said again only when this changes; see tunnelwatch_hook_runs_total)");
    }

    @Test
    void aMissingProgramCountsAsAFailure() {
      start(8, hook("gone", List.of(dir.resolve("no-such-program").toString()), Set.of(HookTrigger.STATE), Duration.ofSeconds(10)));

      hooks.stateChanged("hq", UP, DOWN);

      await().atMost(BOUND).until(() -> runs("gone", HookResult.FAILED) == 1);
      assertThat(warnings()).singleElement().asString().contains("hook gone failed: exit 127: cannot run");
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
