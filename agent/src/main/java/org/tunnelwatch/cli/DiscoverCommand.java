package org.tunnelwatch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tunnelwatch.discovery.ConfigYamlWriter;
import org.tunnelwatch.discovery.ConnectionSource;
import org.tunnelwatch.discovery.Diagnostic;
import org.tunnelwatch.discovery.DiscoveryException;
import org.tunnelwatch.discovery.HostInterfaces;
import org.tunnelwatch.discovery.IpsecConfSource;
import org.tunnelwatch.discovery.Side;
import org.tunnelwatch.discovery.SystemInterfaces;
import org.tunnelwatch.discovery.TunnelPlanner;
import org.tunnelwatch.discovery.ViciConnectionSource;
import org.tunnelwatch.ipsec.vici.ViciBackend;
import org.tunnelwatch.ipsec.vici.ViciClient;
import org.tunnelwatch.discovery.IpsecConfLiveness;
import org.tunnelwatch.lint.LivenessWarning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tunnelwatch discover}: prints a configuration for the tunnels of this gateway on
 * standard output, and what it noticed on the way as {@code FILE:LINE: warning: ...} lines on
 * standard error. Exit 0 when at least one tunnel is ready, 1 when none is, 2 when the input
 * cannot be read.
 */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description = "Print a configuration for the tunnels found in ipsec.conf, or in charon through VICI.")
final class DiscoverCommand implements Callable<Integer> {

  /** list-conns answers at once; anything slower means charon is stuck. */
  private static final Duration VICI_TIMEOUT = Duration.ofSeconds(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ipsec-conf",
      paramLabel = "FILE",
      defaultValue = "/etc/ipsec.conf",
      description = "the ipsec.conf to read (default: ${DEFAULT-VALUE})")
  Path ipsecConf;

  @Option(
      names = "--uri",
      paramLabel = "URI",
      description = "ask charon through VICI at this socket instead of reading ipsec.conf")
  String uri;

  @Option(
      names = "--local",
      paramLabel = "left|right",
      description = "which side of every conn is this host, when ipsec.conf does not tell")
  Side local;

  @Option(
      names = "--backend",
      paramLabel = "TYPE",
      description = "the backend.type to write (default: libreswan for ipsec.conf)")
  String backend;

  private final HostInterfaces host;

  DiscoverCommand() {
    this(new SystemInterfaces());
  }

  /** For tests: a pretend gateway's interfaces. */
  DiscoverCommand(HostInterfaces host) {
    this.host = host;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConnectionSource source;
    String origin;
    if (uri != null) {
      if (!uri.startsWith("unix://")) {
        err.println("tunnelwatch: --uri must be unix:///path/to/charon.vici, found \"" + uri + "\"");
        err.flush();
        return ExitCodes.BAD_CONFIG;
      }
      source = new ViciConnectionSource(new ViciClient(ViciBackend.socketPath(uri), VICI_TIMEOUT), uri);
      origin = uri;
    } else {
      source = new IpsecConfSource(ipsecConf, ipsecConf.toString(), host, Optional.ofNullable(local));
      origin = ipsecConf.toString();
    }
    TunnelPlanner.Plan plan;
    try {
      plan = new TunnelPlanner(host).plan(source.read());
    } catch (DiscoveryException e) {
      err.println("tunnelwatch: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_CONFIG;
    }
    for (Diagnostic d : plan.diagnostics()) {
      err.println(d);
    }
    if (uri == null) {
      livenessWarnings(err);
    }
    err.flush();
    String type = backend != null ? backend.toLowerCase(Locale.ROOT) : uri != null ? "vici" : "libreswan";
    out.print(ConfigYamlWriter.write(plan, origin, type, Optional.ofNullable(uri)));
    out.flush();
    return plan.ready().isEmpty() ? ExitCodes.NOT_OK : ExitCodes.OK;
  }

  /**
   * What {@code check-ipsec} says of the ipsec.conf, at the cost of a second parse of the file
   * just read. Without {@code not-started}: a hub's conns wait for their satellites by design,
   * and only the agent's configuration says which tunnels must start. Warnings only; the exit
   * status stays discovery's.
   */
  private void livenessWarnings(PrintWriter err) {
    try {
      List<LivenessWarning> warnings = new java.util.ArrayList<>(IpsecConfLiveness.check(ipsecConf, conn -> false));
      warnings.sort(LivenessWarning.IN_FILE_ORDER);
      warnings.forEach(err::println);
    } catch (DiscoveryException e) {
      err.println("tunnelwatch: " + e.getMessage());
    }
  }
}
