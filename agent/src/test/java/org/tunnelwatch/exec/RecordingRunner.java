package org.tunnelwatch.exec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link CommandRunner} for backend tests: records every command and answers with queued
 * results, for faults that real programs cannot be made to produce on demand.
 */
public final class RecordingRunner implements CommandRunner {

  private final List<List<String>> commands = new ArrayList<>();
  private final Deque<CommandResult> answers = new ArrayDeque<>();

  public RecordingRunner answer(int exitCode, String stdout) {
    answers.add(new CommandResult(exitCode, stdout, "", false, Duration.ofMillis(5)));
    return this;
  }

  public RecordingRunner answerOutput(int exitCode, String stdout, String stderr) {
    answers.add(new CommandResult(exitCode, stdout, stderr, false, Duration.ofMillis(5)));
    return this;
  }

  public RecordingRunner hang(Duration after) {
    answers.add(new CommandResult(-1, "", "", true, after));
    return this;
  }

  public List<List<String>> commands() {
    return commands;
  }

  @Override
  public synchronized CommandResult run(List<String> argv, Duration timeout) {
    commands.add(List.copyOf(argv));
    CommandResult next = answers.poll();
    return next != null ? next : new CommandResult(0, "", "", false, Duration.ZERO);
  }
}
