package org.tunnelwatch.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tunnelwatch.config.AgentConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tunnelwatch check-config FILE}: exit 0 if valid, 2 with one line per problem if not. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate a configuration file. Prints FILE:LINE:COL: path: message per problem.")
final class CheckConfigCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the configuration file")
  Path file;

  @Override
  public Integer call() {
    Optional<AgentConfig> config = ConfigFiles.load(file, spec.commandLine().getErr());
    if (config.isEmpty()) {
      return ExitCodes.BAD_CONFIG;
    }
    spec.commandLine()
        .getOut()
        .printf("%s: valid, %d tunnel(s), %d uplink(s), %d maintenance job(s)%s%n",
            file,
            config.get().tunnels().size(),
            config.get().uplinks().size(),
            config.get().maintenance().size(),
            config.get().dryRun() ? ", dry-run" : "");
    return ExitCodes.OK;
  }
}
