package org.tunnelwatch.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * What {@code run} would find wrong at start with a valid configuration, judged without starting
 * the agent: for {@code check-config}, which must fail where the start would, with the same
 * words. The HTTP port is not judged: the running agent holds it.
 */
public final class StartChecks {

  private StartChecks() {}

  /** Problems that stop the start, each in the words {@code run} uses. */
  public static List<String> problems(AgentConfig config) {
    return problems(config, SocketContext.callingThread());
  }

  static List<String> problems(AgentConfig config, SocketContext context) {
    List<String> problems = new ArrayList<>();
    ProbeEngineSelection.refusal(config.probeEngine(), context).ifPresent(problems::add);
    return problems;
  }

  /**
   * What the agent survives but should be said: a state-dir it cannot create or write, where the
   * remediation history (the rate limits' memory) would not outlive a restart.
   */
  public static Optional<String> stateDirWarning(Path stateDir) {
    Path existing = stateDir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.empty();
    }
    if (existing.equals(stateDir) && !Files.isDirectory(stateDir)) {
      return Optional.of("warning: state-dir " + stateDir + " is not a directory: the remediation history will not be saved");
    }
    if (!Files.isWritable(existing)) {
      String what = existing.equals(stateDir) ? "is not writable" : "cannot be created (" + existing + " is not writable)";
      return Optional.of("warning: state-dir " + stateDir + " " + what + " by this user: the remediation history will not survive a restart");
    }
    return Optional.empty();
  }
}
