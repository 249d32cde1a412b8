package org.tunnelwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tunnelwatch.agent.AgentStartException;
import org.tunnelwatch.agent.Wiring;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkState;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.probe.SourceAddresses;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.RoundListener;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelRound;
import org.tunnelwatch.tunnel.TunnelSupervisor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tunnelwatch probe --config FILE [--tunnel NAME]}: one round of probes, printed as a
 * table, and the probe engine that sent the echoes; exit 0 if every probed tunnel answered, 1
 * otherwise. Never acts.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = "Run one round of probes and print the result. Exit 0 if all tunnels answered.")
final class ProbeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ConfigFileOption configFile;

  @Option(names = {"-t", "--tunnel"}, paramLabel = "NAME", description = "probe only this tunnel")
  String tunnelName;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<AgentConfig> config = ConfigFiles.load(configFile.file, ConfigOverrides.NONE, err);
    if (config.isEmpty()) {
      return ExitCodes.BAD_CONFIG;
    }
    if (tunnelName != null && config.get().tunnels().stream().noneMatch(t -> t.name().equals(tunnelName))) {
      err.println("tunnelwatch: no tunnel named \"" + tunnelName + "\" in " + configFile.file);
      return ExitCodes.BAD_CONFIG;
    }
    boolean allUp = true;
    String engine;
    TextTable table = new TextTable("TUNNEL", "SOURCE", "TARGET", "SENT", "RECEIVED", "LOSS", "RTT", "UPLINK", "SA", "PROBLEM");
    try (Wiring wiring = new Wiring(config.get(), TimeSource.system())) {
      engine = wiring.echoEngine();
      List<TunnelSupervisor> supervisors = wiring.supervisors(new TunnelEvents() {}, RoundListener.NONE);
      for (TunnelSupervisor supervisor : supervisors) {
        if (tunnelName != null && !supervisor.config().name().equals(tunnelName)) {
          continue;
        }
        TunnelRound round = supervisor.observe();
        allUp &= !round.sample().failed();
        addRows(table, supervisor, round);
      }
    } catch (AgentStartException e) {
      err.println("tunnelwatch: " + e.getMessage());
      return ExitCodes.NOT_OK;
    }
    table.print(out);
    out.println();
    out.println("probe engine: " + engine);
    return allUp ? ExitCodes.OK : ExitCodes.NOT_OK;
  }

  private static void addRows(TextTable table, TunnelSupervisor supervisor, TunnelRound round) {
    String source = IpAddresses.toText(supervisor.config().source());
    String uplink = round.uplink().map(LinkState::describe).orElse("-");
    String sa = round.sa().map(SaStatus::describe).orElseGet(() -> "unreadable: " + round.saError().orElse(""));
    List<ProbeTarget> targets = supervisor.config().targets();
    for (int i = 0; i < round.echoes().size(); i++) {
      EchoResult echo = round.echoes().get(i);
      // The echoes come in the order of the targets; the label says how each was probed.
      String target = i < targets.size() ? targets.get(i).label() : IpAddresses.toText(echo.target());
      String problem = echo.detail().isEmpty() ? null : echo.detail();
      if (problem != null && !SourceAddresses.isLocal(supervisor.config().source())) {
        problem = "source " + source + " is not held by any local interface";
      }
      double loss = echo.sent() == 0 ? 1.0 : 1.0 - (double) echo.received() / echo.sent();
      Duration mean =
          echo.rtts().isEmpty()
              ? Duration.ZERO
              : echo.rtts().stream().reduce(Duration.ZERO, Duration::plus).dividedBy(echo.rtts().size());
      table.row(
          round.tunnel(),
          source,
          target,
          echo.sent(),
          echo.received(),
          Formats.percent(loss),
          Formats.millis(mean),
          uplink,
          sa,
          problem);
    }
  }
}
