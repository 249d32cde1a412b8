package org.tunnelwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tunnelwatch.agent.StartChecks;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.HeapEstimate;
import org.tunnelwatch.ipsec.strongswan.ReauthMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tunnelwatch check-config [FILE | --config.file FILE]}, also {@code tunnelwatch
 * --config.check}: exit 0 if valid, 2 with one line per problem if not. For
 * a valid file with a strongSwan backend it also says whether charon reauthenticates
 * make-before-break, and warns when it does not or cannot tell: a warning, not an error. It
 * warns too when the tunnels need more heap than this JVM has ({@link HeapEstimate}).
 */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a configuration file as run loads it (the web config, its TLS material and bcrypt"
          + " hashes, a named probe-engine). Prints FILE:LINE:COL: path: message per problem.",
      "For a valid file with a strongSwan backend, also prints whether charon reauthenticates"
          + " make-before-break (backend.make-before-break, or read from backend.strongswan-conf)."
    })
final class CheckConfigCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..1", description = "the configuration file, in place of --config.file")
  Path positional;

  @CommandLine.Mixin ConfigFileOption option;

  /** The same flags as run's, so that the check sees what the start will use. */
  @CommandLine.Mixin WebFlags web;

  /** Taken and checked, not used: the unit passes run's options to the check as well. */
  @CommandLine.Mixin LogFlags logFlags;

  @Override
  public Integer call() {
    return check(positional != null ? positional : option.file, web.overrides(), spec.commandLine());
  }

  /** Checks {@code file}, printing to the command line's streams; also {@code --config.check}. */
  static int check(Path file, ConfigOverrides overrides, CommandLine commandLine) {
    Optional<AgentConfig> config = ConfigFiles.load(file, overrides, commandLine.getErr());
    if (config.isEmpty()) {
      return ExitCodes.BAD_CONFIG;
    }
    List<String> startProblems = StartChecks.problems(config.get());
    if (!startProblems.isEmpty()) {
      startProblems.forEach(p -> commandLine.getErr().println("tunnelwatch: " + p)); // as run says them
      commandLine.getErr().flush();
      return ExitCodes.BAD_CONFIG;
    }
    PrintWriter out = commandLine.getOut();
    out.printf("%s: valid, %d tunnel(s), %d uplink(s), %d maintenance job(s)%s%n",
            file,
            config.get().tunnels().size(),
            config.get().uplinks().size(),
            config.get().maintenance().size(),
            config.get().dryRun() ? ", dry-run" : "");
    config.get().web().warnings(Instant.now()).forEach(w -> out.println("warning: " + w));
    StartChecks.stateDirWarning(config.get().stateDir()).ifPresent(out::println);
    // This JVM runs with the agent's options (the launcher's): its heap is the agent's.
    HeapEstimate.warning(config.get(), Runtime.getRuntime().maxMemory()).ifPresent(out::println);
    ReauthMode reauth = ReauthMode.forBackend(config.get().backend());
    if (reauth.makeBeforeBreak() != ReauthMode.State.NOT_APPLICABLE) {
      out.println(reauth.describe());
      reauth.warning().ifPresent(out::println);
    }
    return ExitCodes.OK;
  }
}
