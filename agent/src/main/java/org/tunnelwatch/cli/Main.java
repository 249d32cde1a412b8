package org.tunnelwatch.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
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
