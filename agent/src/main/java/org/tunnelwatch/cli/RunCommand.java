package org.tunnelwatch.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.agent.Agent;
import org.tunnelwatch.agent.AgentStartException;
import org.tunnelwatch.agent.StartChecks;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.HeapEstimate;
import org.tunnelwatch.logging.LogSetup;
import org.tunnelwatch.systemd.SystemdNotifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tunnelwatch run [--config.file FILE]}: the agent, in the foreground, until SIGTERM or
 * SIGINT; SIGHUP reloads FILE (with the same command-line overrides). Under systemd ({@code Type=notify}) it reports readiness and status.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the agent in the foreground.")
final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ConfigFileOption config;

  @CommandLine.Mixin WebFlags web;

  @CommandLine.Mixin LogFlags logFlags;

  @Override
  public Integer call() throws InterruptedException {
    LogSetup.apply(logFlags.format, logFlags.level());
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    Path configFile = config.file;
    ConfigOverrides overrides = web.overrides();
    Optional<AgentConfig> loaded = ConfigFiles.load(configFile, overrides, spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return ExitCodes.BAD_CONFIG;
    }
    warnAsCheckConfigWould(loaded.get(), log);
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    // Caught before the agent starts: it reports READY=1 from inside start(), and a SIGHUP sent
    // right after that must reload, not hit the JVM's default (shutdown). One that comes while
    // the agent is still starting is kept and carried out as soon as it has started.
    SerialReloads reloads = SerialReloads.start();
    HangupSignal.onHangup(reloads::hangup);
    ShutdownHook shutdown = ShutdownHook.register(log, reloads, notifier);
    Agent agent;
    try {
      agent = Agent.start(loaded.get(), notifier);
    } catch (AgentStartException e) {
      spec.commandLine().getErr().println("tunnelwatch: " + e.getMessage());
      if (shutdown.startFailed()) {
        reloads.close();
        notifier.close();
      }
      return ExitCodes.NOT_OK;
    }
    shutdown.started(agent);
    reloads.started(() -> agent.reload(configFile, overrides));
    shutdown.awaitStopped();
    return ExitCodes.OK;
  }

  /**
   * The warnings {@code check-config} gives a valid file that {@code run} would otherwise keep to
   * itself: the unit has no check before the start any more (one JVM, not two), so the start says
   * them. The web config's and charon's warnings the agent logs as it starts.
   */
  private static void warnAsCheckConfigWould(AgentConfig config, Logger log) {
    StartChecks.stateDirWarning(config.stateDir()).ifPresent(w -> log.warn("{}", withoutPrefix(w)));
    HeapEstimate.warning(config, Runtime.getRuntime().maxMemory()).ifPresent(w -> log.warn("{}", withoutPrefix(w)));
  }

  /** check-config's lines start with "warning: ", which the log line's level already says. */
  private static String withoutPrefix(String warning) {
    return warning.startsWith("warning: ") ? warning.substring("warning: ".length()) : warning;
  }
}
