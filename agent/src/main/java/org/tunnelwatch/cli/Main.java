package org.tunnelwatch.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.logging.JournalStream;
import org.tunnelwatch.logging.PriorityPrefixWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tunnelwatch} command: the agent and its helpers. */
@Command(
    name = "tunnelwatch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Tunnel-health watchdog for IPsec VPN gateways.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      ProbeCommand.class,
      StatusCommand.class,
      DiscoverCommand.class,
      CheckIpsecCommand.class,
      ClassArchiveTrainingCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--config.check",
      description = "check the configuration file and exit, as check-config does (the exporters' spelling)")
  boolean configCheck;

  @CommandLine.Option(
      names = "--config.file",
      paramLabel = "FILE",
      defaultValue = ConfigFileOption.DEFAULT,
      description = "with --config.check: the configuration file (default: ${DEFAULT-VALUE})")
  Path configFile;

  public static void main(String[] args) {
    quietUnlessRunning(args);
    CommandLine commandLine = commandLine();
    if (JournalStream.stderrIsJournal()) {
      // What the commands print on stderr are errors (a configuration's problems, bad usage).
      commandLine.setErr(new PrintWriter(PriorityPrefixWriter.errors(new OutputStreamWriter(System.err, StandardCharsets.UTF_8)), true));
    }
    System.exit(commandLine.execute(args));
  }

  /** The command line, for tests that want exit codes without {@code System.exit}. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine.setExecutionStrategy(Main::refuseTopLevelConfigBeforeACommand);
  }

  /**
   * {@code --config.file} before a command ({@code tunnelwatch --config.file F run}) would be
   * parsed as the top level's, which only {@code --config.check} reads, and the command would
   * quietly use the default file: refused, saying where the option goes.
   */
  private static int refuseTopLevelConfigBeforeACommand(CommandLine.ParseResult parsed) {
    if (parsed.hasSubcommand() && (parsed.hasMatchedOption("--config.file") || parsed.hasMatchedOption("--config.check"))) {
      throw new CommandLine.ParameterException(
          parsed.commandSpec().commandLine(),
          "--config.file and --config.check go after the command (tunnelwatch "
              + parsed.subcommand().commandSpec().name() + " --config.file FILE) or alone (tunnelwatch --config.check --config.file FILE)");
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  @Override
  public Integer call() {
    if (configCheck) {
      return CheckConfigCommand.check(configFile, ConfigOverrides.NONE, spec.commandLine());
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run, check-config, probe, status or discover");
  }

  /**
   * The one-shot commands print tables and messages of their own; the agent's INFO log lines
   * would only get in the way there. Must run before the first logger is created.
   */
  private static void quietUnlessRunning(String[] args) {
    boolean running = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().map("run"::equals).orElse(false);
    if (!running && System.getProperty("tunnelwatch.log.level") == null) {
      System.setProperty("tunnelwatch.log.level", "WARN");
    }
  }
}
